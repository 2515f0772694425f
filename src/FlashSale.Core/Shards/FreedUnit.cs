namespace FlashSale.Core.Shards;

/// <summary>
/// A unit that a cancel or expiry gave back; the engine returns it to the pool once that change is durable.
/// </summary>
/// <param name="SaleId">The sale.</param>
/// <param name="ItemIndex">The item's index in its sale.</param>
public readonly record struct FreedUnit(string SaleId, int ItemIndex);
