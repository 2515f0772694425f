using FlashSale.Core.Sales;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Engine.Tests.Support;

/// <summary>
/// The engine tests' common setup: a fresh data directory, a fake clock at <see cref="TestSales.Start"/>, options, and
/// the engine opened on them; <see cref="RestartAsync"/> closes and reopens it on the same directory. Disposing closes
/// the engine and deletes the directory.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private FlashSaleEngine? _engine;

    /// <summary>A harness over a fresh directory; <paramref name="configure"/> sets options before the open.</summary>
    public EngineHarness(int shardCount = 2, Action<EngineOptions>? configure = null, string prefix = "fs-engine")
    {
        _directory = new TempDirectory(prefix);
        Options = new EngineOptions { DataDirectory = _directory.Path, ShardCount = shardCount };
        configure?.Invoke(Options);
    }

    public FakeTimeProvider Time { get; } = TestSales.Clock();

    public EngineOptions Options { get; }

    /// <summary>The temp directory the data directory is in (<see cref="TempDirectory.Sub"/> for more).</summary>
    public TempDirectory Directory => _directory;

    /// <summary>The open engine.</summary>
    public FlashSaleEngine Engine => _engine ?? throw new InvalidOperationException("the engine is not open");

    /// <summary>Opens the engine on <see cref="Options"/> and <see cref="Time"/>.</summary>
    public FlashSaleEngine Open()
    {
        if (_engine is not null) throw new InvalidOperationException("the engine is already open");
        _engine = FlashSaleEngine.Open(Options, Time);
        return _engine;
    }

    /// <summary>Opens the engine and creates <paramref name="sales"/>.</summary>
    public async Task<FlashSaleEngine> OpenWithAsync(params SaleDefinition[] sales)
    {
        var engine = Open();
        foreach (var sale in sales) await CreateSaleAsync(sale);
        return engine;
    }

    /// <summary>Creates a sale, which must succeed.</summary>
    public async Task<Sale> CreateSaleAsync(SaleDefinition definition)
    {
        var created = await Engine.CreateSaleAsync(definition);
        Assert.True(created.Sale is not null, $"create {definition.Id}: {created.Error}");
        return created.Sale;
    }

    /// <summary>Closes the engine (as a stop does: queues drained, journals flushed).</summary>
    public async Task CloseAsync()
    {
        if (_engine is not { } engine) return;
        _engine = null;
        await engine.DisposeAsync();
    }

    /// <summary>Closes the engine and opens it again on the same directory: a restart.</summary>
    public async Task<FlashSaleEngine> RestartAsync()
    {
        await CloseAsync();
        return Open();
    }

    /// <summary>
    /// One tick of the engine's expiry timer, awaited: every shard has expired the holds due now and returned their
    /// units (the tick posts to every shard; a command posted after it completes once its batch is durable).
    /// </summary>
    public async Task ExpireDueAsync()
    {
        var engine = Engine;
        engine.ExpireDue();
        for (var i = 0; i < engine.ShardCount; i++)
        {
            await engine.Shard(i).Run(static _ => true).WaitAsync(EngineProbe.Deadline);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _directory.Dispose();
    }
}
