namespace FlashSale.Crowd;

/// <summary>An item of the sale, with its stock and the server's (possibly lagging) count of units left.</summary>
internal sealed record SaleItemInfo(string Id, string Name, int Stock, int Remaining);
