using BenchmarkDotNet.Attributes;
using FlashSale.Benchmarks.Support;
using FlashSale.Core.Purchases;
using FlashSale.Engine;

namespace FlashSale.Benchmarks.Engine;

/// <summary>
/// Attempts that win nothing, through the whole engine (journal on a real file), once <see cref="Winners"/> buyers
/// have bought every phone: a winner trying for a case (limit_reached, the sale allows one unit per buyer) goes
/// through the shard's queue and worker but writes nothing, so no fsync; a latecomer trying for a phone (sold_out) is
/// answered by <c>PurchaseAsync</c> from the item's sold-out flag without touching a shard. (A winner retrying the
/// sold-out phone without a requestId is also answered sold_out by the flag, which the API contract allows.) Each
/// invocation submits one attempt per buyer at once and awaits them all.
/// </summary>
public class EngineRefusalBenchmarks
{
    private const int Winners = 10_000;

    private readonly string[] _winners = Buyers.Make("winner", Winners);
    private readonly string[] _latecomers = Buyers.Make("late", Winners);
    private readonly ValueTask<Decision>[] _pending = new ValueTask<Decision>[Winners];
    private FlashSaleEngine? _engine;
    private string _directory = "";

    /// <summary>Shards (one worker thread and one journal file each).</summary>
    [Params(1, 2)]
    public int ShardCount { get; set; }

    [GlobalSetup]
    public void SellOut()
    {
        _directory = Path.Combine(Path.GetTempPath(), "flashsale-bench-" + Guid.NewGuid().ToString("N"));
        _engine = FlashSaleEngine.Open(
            new EngineOptions { DataDirectory = _directory, ShardCount = ShardCount, QueueCapacity = Winners });
        try
        {
            var created = _engine.CreateSaleAsync(Sales.TwoItems("bench-sale", Winners, Winners))
                .AsTask().GetAwaiter().GetResult();
            if (created.Sale is null) throw new InvalidOperationException(created.Error);
            if (Submit(_winners, "phone", Outcome.Won).GetAwaiter().GetResult() != Winners)
            {
                throw new InvalidOperationException("setup: not every winner won");
            }

            if (Submit(_latecomers, "phone", Outcome.SoldOut).GetAwaiter().GetResult() != Winners)
            {
                throw new InvalidOperationException("setup: latecomers were not told sold_out");
            }

            if (Submit(_winners, "case", Outcome.LimitReached).GetAwaiter().GetResult() != Winners)
            {
                throw new InvalidOperationException("setup: winners were not told limit_reached");
            }
        }
        catch
        {
            // BenchmarkDotNet skips the cleanup when the setup fails: leave no journal directory behind.
            CloseEngine();
            throw;
        }
    }

    [GlobalCleanup]
    public void CloseEngine()
    {
        _engine!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Winners try for a case: limit_reached, decided by their shard.</summary>
    [Benchmark(OperationsPerInvoke = Winners)]
    public Task<int> LimitReached() => Submit(_winners, "case", Outcome.LimitReached);

    /// <summary>Latecomers try for a phone: sold_out, answered from the sold-out flag before any queue.</summary>
    [Benchmark(OperationsPerInvoke = Winners)]
    public Task<int> SoldOut() => Submit(_latecomers, "phone", Outcome.SoldOut);

    private async Task<int> Submit(string[] buyers, string itemId, Outcome expected)
    {
        var engine = _engine!;
        // Each ValueTask is awaited exactly once, below; AsTask() would add an allocation to what is measured.
#pragma warning disable CA2012 // see above
        for (var i = 0; i < buyers.Length; i++)
        {
            _pending[i] = engine.PurchaseAsync("bench-sale", itemId, buyers[i]);
        }
#pragma warning restore CA2012

        var matched = 0;
        for (var i = 0; i < buyers.Length; i++)
        {
            if ((await _pending[i]).Outcome == expected) matched++;
        }

        return matched;
    }
}
