using FlashSale.Engine.Catalog;

namespace FlashSale.Engine.Shards;

/// <summary>
/// What a shard needs from the engine that hosts it, and nothing more (what Kestrel's <c>ServiceContext</c> is to its
/// connections): the clock, the options, the sales (each entry holds its items' stock pools), the other shards, and
/// where to report availability changes, journal fsyncs and a failure.
/// </summary>
internal sealed class ShardContext(
    EngineOptions options,
    TimeProvider time,
    SaleCatalog catalog,
    ShardWorker[] shards,
    Action<SaleEntry, int> availabilityChanged,
    Action<int, Exception> shardFailed,
    Action<double> flushObserved)
{
    public EngineOptions Options { get; } = options;

    /// <summary>The clock every decision reads.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The sales, to find one where only its id is known (units freed by cancels and expiries).</summary>
    public SaleCatalog Catalog { get; } = catalog;

    /// <summary>Every shard, by index, to post messages to (filled by the engine before any shard starts).</summary>
    public ShardWorker[] Shards { get; } = shards;

    /// <summary>An item may have sold out or come back: the engine announces its state.</summary>
    public Action<SaleEntry, int> AvailabilityChanged { get; } = availabilityChanged;

    /// <summary>A shard's journal failed: the engine turns unhealthy.</summary>
    public Action<int, Exception> ShardFailed { get; } = shardFailed;

    /// <summary>Called with the seconds each journal fsync took.</summary>
    public Action<double> FlushObserved { get; } = flushObserved;
}
