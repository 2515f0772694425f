using BenchmarkDotNet.Attributes;
using FlashSale.Benchmarks.Support;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;

namespace FlashSale.Benchmarks.Shards;

/// <summary>
/// One shard's state machine (<see cref="ShardState.Decide"/>) alone, no engine and no journal: attempts after the
/// item sold out, and repeat attempts by buyers who already won (limit_reached). The shard first sells its whole
/// stock to <see cref="Winners"/> buyers, so the buyer table is as big as it is at the end of a real sale. Each
/// invocation decides one attempt per buyer of a list (OperationsPerInvoke), so the figures are per decision.
/// Attempts carry no requestId: that is the common case, and then nothing is journaled.
/// </summary>
public class ShardDecisionBenchmarks
{
    private const int Winners = 10_000;
    private const int Latecomers = 100_000;

    private readonly ShardState _state = new(0);
    private readonly Sale _sale = new(Sales.OneItem("bench-sale", Winners));
    private readonly FixedStockSource _stock = new(Winners, 100);
    private readonly string[] _winners = Buyers.Make("winner", Winners);
    private readonly string[] _latecomers = Buyers.Make("late", Latecomers);
    private long _nowMs;

    [GlobalSetup]
    public void SellOut()
    {
        _nowMs = BenchClock.Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var buyer in _winners) Expect(Outcome.Won, Decide(buyer));

        // Check once that each benchmark measures the path it names.
        Expect(Outcome.SoldOut, Decide(_latecomers[0]));
        Expect(Outcome.LimitReached, Decide(_winners[0]));
    }

    /// <summary>(a) A buyer who never won tries after the last unit went: sold_out.</summary>
    [Benchmark(OperationsPerInvoke = Latecomers)]
    public int SoldOut()
    {
        var soldOut = 0;
        foreach (var buyer in _latecomers)
        {
            if (Decide(buyer).Outcome == Outcome.SoldOut) soldOut++;
        }

        return soldOut;
    }

    /// <summary>(b) A buyer who already won tries again: limit_reached.</summary>
    [Benchmark(OperationsPerInvoke = Winners)]
    public int LimitReached()
    {
        var refused = 0;
        foreach (var buyer in _winners)
        {
            if (Decide(buyer).Outcome == Outcome.LimitReached) refused++;
        }

        return refused;
    }

    private Decision Decide(string buyer) =>
        _state.Decide(_sale, 0, buyer, null, _nowMs, _stock, NullEventSink.Instance);

    private static void Expect(Outcome expected, Decision decision)
    {
        if (decision.Outcome != expected)
        {
            throw new InvalidOperationException($"expected {expected}, got {decision.Outcome}");
        }
    }
}
