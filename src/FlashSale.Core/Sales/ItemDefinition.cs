namespace FlashSale.Core.Sales;

/// <summary>One product on sale: its id within the sale, display name, price and the units stocked.</summary>
/// <param name="Id">Unique within its sale.</param>
/// <param name="Name">Display name.</param>
/// <param name="Price">Price in the store's currency.</param>
/// <param name="Stock">Units stocked; never negative.</param>
public sealed record ItemDefinition(string Id, string Name, decimal Price, int Stock);
