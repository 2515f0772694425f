namespace FlashSale.Engine;

/// <summary>
/// How the embedded engine runs. Bound from configuration section <c>FlashSale:Engine</c> by the server.
/// </summary>
public sealed class EngineOptions
{
    /// <summary>Where journals and snapshots live; created if missing.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Number of shards (decision workers). Default: the processor count. Fixed when a data directory is first used:
    /// reopening it with another value keeps the stored one (and says so), since buyers' limits live per shard.
    /// </summary>
    public int ShardCount { get; set; } = Environment.ProcessorCount;

    /// <summary>Purchase attempts waiting per shard before new ones are answered busy.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Most work items a shard decides before one journal write and fsync (group commit).</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>Most units a shard takes from an item's pool at once.</summary>
    public int MaxChunk { get; set; } = 100;

    /// <summary>
    /// A shard writes a snapshot and starts a new journal segment once its segment exceeds this size.
    /// </summary>
    public long SegmentBytes { get; set; } = 64L << 20;

    /// <summary>How often due holds are expired.</summary>
    public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after a sale's end (its <c>endsAt</c>, or when it was closed) its remembered answers are kept: a repeat
    /// of a requestId gets its first answer until then, and <c>ended</c> after. Reservations are kept regardless.
    /// </summary>
    public TimeSpan RememberFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Returns why these options are invalid, or null.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) return "DataDirectory is required";
        if (ShardCount is < 1 or > 1024) return "ShardCount must be 1-1024";
        if (QueueCapacity < 1) return "QueueCapacity must be at least 1";
        if (MaxBatchSize < 1) return "MaxBatchSize must be at least 1";
        if (MaxChunk < 1) return "MaxChunk must be at least 1";
        if (SegmentBytes < 4096) return "SegmentBytes must be at least 4096";
        if (ExpiryInterval <= TimeSpan.Zero) return "ExpiryInterval must be positive";
        if (RememberFor < TimeSpan.Zero) return "RememberFor must not be negative";
        return null;
    }
}
