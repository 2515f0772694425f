namespace FlashSale.Server.Pages;

/// <summary>What <c>GET /admin/live</c> pushes every second.</summary>
/// <param name="UnixMs">Server time of the snapshot.</param>
/// <param name="IntervalMs">Time since the previous snapshot of this stream (0 for the first).</param>
/// <param name="Healthy">False once a shard failed (for example, the journal's disk is full).</param>
/// <param name="Shards">Number of shards.</param>
/// <param name="QueueDepth">Purchase attempts waiting in the shards' queues.</param>
/// <param name="Purchases">Purchase answers in the interval, with their latency.</param>
/// <param name="JournalFlushes">Journal fsyncs (group commits) in the interval, with their latency.</param>
/// <param name="Sales">Every sale, in creation order.</param>
public sealed record LiveSnapshot(
    long UnixMs,
    long IntervalMs,
    bool Healthy,
    int Shards,
    int QueueDepth,
    LiveLatency Purchases,
    LiveLatency JournalFlushes,
    IReadOnlyList<LiveSale> Sales);
