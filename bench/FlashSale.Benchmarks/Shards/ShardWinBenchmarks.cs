using BenchmarkDotNet.Attributes;
using FlashSale.Benchmarks.Support;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;

namespace FlashSale.Benchmarks.Shards;

/// <summary>
/// What a win costs the shard worker before any I/O: the state machine's decision (a reservation, its id, the
/// buyer's entry) alone, and with the journal record encoded as the worker does. Each iteration starts from an
/// empty shard and sells to <see cref="Attempts"/> distinct buyers, so the figures are per win. Shows how much of
/// the engine's time per win (<c>EngineWinBenchmarks</c>) is decision work and how much is queueing and fsync.
/// </summary>
[InvocationCount(1, 1)]
[IterationCount(10)]
public class ShardWinBenchmarks
{
    private const int Attempts = 100_000;

    private readonly Sale _sale = new(Sales.OneItem("bench-sale", Attempts));
    private readonly string[] _buyers = Buyers.Make("buyer", Attempts);
    private ShardState _state = new(0);
    private FixedStockSource _stock = new(0, 1);
    private long _nowMs;

    [IterationSetup]
    public void EmptyShard()
    {
        _state = new ShardState(0);
        _stock = new FixedStockSource(Attempts, 100);
        _nowMs = BenchClock.Time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    /// <summary>Decisions only; events go nowhere.</summary>
    [Benchmark(OperationsPerInvoke = Attempts)]
    public int Won() => SellTo(NullEventSink.Instance);

    /// <summary>Decisions plus encoding each event as a journal record.</summary>
    [Benchmark(OperationsPerInvoke = Attempts)]
    public int WonAndEncoded() => SellTo(new JournalEncodingSink());

    private int SellTo(IShardEventSink sink)
    {
        var won = 0;
        foreach (var buyer in _buyers)
        {
            if (_state.Decide(_sale, 0, buyer, null, _nowMs, _stock, sink).Outcome == Outcome.Won) won++;
        }

        if (won != Attempts) throw new InvalidOperationException($"expected {Attempts} wins, got {won}");
        return won;
    }
}
