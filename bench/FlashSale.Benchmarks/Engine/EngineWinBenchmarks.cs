using BenchmarkDotNet.Attributes;
using FlashSale.Benchmarks.Support;
using FlashSale.Core.Purchases;
using FlashSale.Engine;

namespace FlashSale.Benchmarks.Engine;

/// <summary>
/// (c) Winning attempts through the whole engine: queue, shard worker, journal on a real file, fsynced group commit,
/// answer. Every iteration opens a fresh engine in a new directory under the system temp path and creates a sale
/// with ample stock; the measured invocation is <see cref="Attempts"/> attempts by distinct buyers, so every one
/// wins and the figures are per win.
/// </summary>
[InvocationCount(1, 1)]
[IterationCount(10)]
public class EngineWinBenchmarks
{
    private const int Attempts = 100_000;
    private const int Clients = 1_000;

    private readonly string[] _buyers = Buyers.Make("buyer", Attempts);
    private readonly ValueTask<Decision>[] _pending = new ValueTask<Decision>[Attempts];
    private FlashSaleEngine? _engine;
    private string _directory = "";
    private int _won;
    private int _fsyncs;
    private long _fsyncMicros;
    private TimeSpan _cpuAtStart;

    /// <summary>Shards (one worker thread and one journal file each).</summary>
    [Params(1, 2)]
    public int ShardCount { get; set; }

    [IterationSetup]
    public void OpenEngine()
    {
        _directory = Path.Combine(Path.GetTempPath(), "flashsale-bench-" + Guid.NewGuid().ToString("N"));
        _engine = FlashSaleEngine.Open(
            new EngineOptions { DataDirectory = _directory, ShardCount = ShardCount, QueueCapacity = Attempts });
        var created = _engine.CreateSaleAsync(Sales.OneItem("bench-sale", Attempts * 2))
            .AsTask().GetAwaiter().GetResult();
        if (created.Sale is null) throw new InvalidOperationException(created.Error);
        _engine.JournalFlushObserved = seconds =>
        {
            Interlocked.Increment(ref _fsyncs);
            Interlocked.Add(ref _fsyncMicros, (long)(seconds * 1e6));
        };
        _won = 0;
        _fsyncs = 0;
        _fsyncMicros = 0;
        _cpuAtStart = Environment.CpuUsage.TotalTime;
    }

    [IterationCleanup]
    public void CloseEngine()
    {
        // Proof that wins were group-committed and fsynced, not just written, and what they cost in CPU (all threads
        // of the process), which other load on a shared machine disturbs far less than the elapsed time.
        var cpu = Environment.CpuUsage.TotalTime - _cpuAtStart;
        Console.WriteLine(
            $"// {_won} wins, {_fsyncs} journal fsyncs, {(double)_won / Math.Max(1, _fsyncs):F0} wins per fsync, " +
            $"{_fsyncMicros / 1000.0:F1} ms in fsync ({_fsyncMicros / 1000.0 / Math.Max(1, _fsyncs):F2} ms each), " +
            $"CPU {cpu.TotalMicroseconds / Math.Max(1, _won):F2} us per win");
        _engine!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
        if (_won != Attempts) throw new InvalidOperationException($"expected {Attempts} wins, got {_won}");
    }

    /// <summary>Every attempt submitted at once, then all awaited: the shards decide full batches.</summary>
    [Benchmark(OperationsPerInvoke = Attempts)]
    public async Task<int> Burst()
    {
        var engine = _engine!;
        // Each ValueTask is awaited exactly once, below; AsTask() would add an allocation to what is measured.
#pragma warning disable CA2012 // see above
        for (var i = 0; i < Attempts; i++)
        {
            _pending[i] = engine.PurchaseAsync("bench-sale", "phone", _buyers[i]);
        }
#pragma warning restore CA2012

        var won = 0;
        for (var i = 0; i < Attempts; i++)
        {
            if ((await _pending[i]).Outcome == Outcome.Won) won++;
        }

        _won = won;
        return won;
    }

    /// <summary>
    /// <see cref="Clients"/> buyers' connections, each sending its next attempt once the previous one is answered
    /// (like keep-alive HTTP clients): batches are at most <see cref="Clients"/> attempts over all shards.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Attempts)]
    public async Task<int> Clients1000()
    {
        var clients = new Task<int>[Clients];
        for (var c = 0; c < Clients; c++) clients[c] = Client(_engine!, _buyers, c);
        var won = 0;
        foreach (var client in clients) won += await client;
        _won = won;
        return won;
    }

    private static async Task<int> Client(FlashSaleEngine engine, string[] buyers, int client)
    {
        var won = 0;
        for (var i = client; i < buyers.Length; i += Clients)
        {
            if ((await engine.PurchaseAsync("bench-sale", "phone", buyers[i])).Outcome == Outcome.Won) won++;
        }

        return won;
    }
}
