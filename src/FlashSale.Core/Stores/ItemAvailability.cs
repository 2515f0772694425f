namespace FlashSale.Core.Stores;

/// <summary>An item sold out, or came back on sale.</summary>
/// <param name="SaleId">The sale.</param>
/// <param name="ItemId">The item.</param>
/// <param name="SoldOut">True when it sold out; false when a unit came back.</param>
public readonly record struct ItemAvailability(string SaleId, string ItemId, bool SoldOut);
