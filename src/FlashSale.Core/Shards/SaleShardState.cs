namespace FlashSale.Core.Shards;

/// <summary>
/// One sale's state on one shard: unit counters per item, its buyers and its reservations in decision order.
/// </summary>
internal sealed class SaleShardState
{
    /// <summary>Units in this shard, not yet sold.</summary>
    public int[] Local = [];

    /// <summary>Units taken from the pool minus units given back (returned, cancelled, expired).</summary>
    public int[] NetTaken = [];

    /// <summary>Live held reservations.</summary>
    public int[] Held = [];

    /// <summary>Confirmed reservations.</summary>
    public int[] Confirmed = [];

    /// <summary>Reservations ever made, per item.</summary>
    public int[] Made = [];

    public readonly Dictionary<string, BuyerState> Buyers = new(StringComparer.Ordinal);

    /// <summary>Indexes into the shard's reservation list, in decision order.</summary>
    public readonly List<int> Reservations = [];

    public void EnsureItems(int count)
    {
        if (Local.Length >= count) return;
        Array.Resize(ref Local, count);
        Array.Resize(ref NetTaken, count);
        Array.Resize(ref Held, count);
        Array.Resize(ref Confirmed, count);
        Array.Resize(ref Made, count);
    }
}
