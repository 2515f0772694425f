namespace FlashSale.Crowd;

/// <summary>A sale as the crowd sees it through <c>GET /api/sales/{id}</c>.</summary>
internal sealed record SaleInfo(
    string Id, string Name, DateTimeOffset StartsAt, string State, int PerUserLimit, IReadOnlyList<SaleItemInfo> Items)
{
    /// <summary>Units stocked over all items.</summary>
    public long TotalStock
    {
        get
        {
            long total = 0;
            foreach (var item in Items) total += item.Stock;
            return total;
        }
    }
}
