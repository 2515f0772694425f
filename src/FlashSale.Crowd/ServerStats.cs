namespace FlashSale.Crowd;

/// <summary>The server's own counters of the sale (<c>GET /admin/sales/{id}</c>, <c>stats</c>).</summary>
internal sealed record ServerStats(
    long Attempts, long Won, DateTimeOffset? SoldOutAt, IReadOnlyDictionary<string, long> Outcomes);
