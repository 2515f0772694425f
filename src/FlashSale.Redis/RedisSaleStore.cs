using System.Collections.Concurrent;
using FlashSale.Core.Stores;
using FlashSale.Redis.Batching;
using FlashSale.Redis.Catalog;
using FlashSale.Redis.Keys;
using FlashSale.Redis.Replication;
using FlashSale.Redis.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FlashSale.Redis;

/// <summary>
/// The cluster store: sales, stock, reservations, remembered answers, holds and stats live in Redis (one primary, or
/// Redis Cluster); this object keeps only caches, so any number of gateways may share one deployment. Its members
/// mirror <c>FlashSaleEngine</c>'s, and its scripts decide with the rules of Core's <c>ShardState</c>. Every member
/// is safe to call from any thread.
/// </summary>
public sealed partial class RedisSaleStore : ISaleStore
{
    private readonly RedisStoreOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly ISubscriber _subscriber;
    private readonly StoreScripts _scripts;
    private readonly ReplicatedDecisions? _replicated;
    private readonly ConfigurationOptions _settings;
    private readonly BatchIds _batchIds = new();
    private readonly GlobalKeys _keys;
    private readonly ConcurrentDictionary<string, CachedSale> _sales = new(StringComparer.Ordinal);
    private readonly Lock _catalogGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private CachedSale[] _ordered = [];
    private int _disposed;
    private int _findingPrimary;

    private RedisSaleStore(RedisStoreOptions options, TimeProvider time, ILogger logger,
        ConnectionMultiplexer connection, ConfigurationOptions settings)
    {
        _options = options;
        _keys = new GlobalKeys(options.KeyPrefix);
        Time = time;
        _logger = logger;
        _connection = connection;
        _database = connection.GetDatabase();
        _subscriber = connection.GetSubscriber();
        _scripts = new StoreScripts(connection);
        _settings = settings;
        if (options.WaitReplicas > 0)
        {
            _replicated = new ReplicatedDecisions(connection, settings, options, _scripts.Decide.Text);
        }
    }

    /// <summary>
    /// Raised when an item sells out or comes back, as this gateway learns it (its own decisions, pub/sub or a
    /// refresh).
    /// </summary>
    public event Action<ItemAvailability>? AvailabilityChanged;

    /// <summary>
    /// The clock every decision reads; its time is sent to the scripts, which never read Redis's clock.
    /// </summary>
    public TimeProvider Time { get; }

    /// <summary>True while the connection to Redis is up; purchases answer busy otherwise.</summary>
    public bool IsHealthy => _connection.IsConnected && Volatile.Read(ref _disposed) == 0;

    /// <summary>Purchase attempts waiting for a batch, over all sales.</summary>
    public int QueueDepth
    {
        get
        {
            var depth = 0;
            foreach (var sale in Volatile.Read(ref _ordered)) depth += sale.Batcher.QueueDepth;
            return depth;
        }
    }

    /// <summary><c>redis</c>.</summary>
    public string Kind => "redis";

    /// <summary>The primaries this gateway knows (one, or a cluster's), each deciding the sales of its slots.</summary>
    public int ShardCount => _connection.GetServers().Count(server => !server.IsReplica);

    /// <summary>Called with the seconds each batch's script call took (its reply included).</summary>
    public Action<double>? WriteObserved { get; set; }

    /// <summary>This gateway's id, part of every batch id it makes.</summary>
    public string GatewayId => _batchIds.Gateway;

    /// <summary>
    /// Connects, loads the scripts on every primary, reads the sales and starts the background work (refresh, hold
    /// expiry under the lease). Throws <see cref="RedisConnectionException"/> when Redis cannot be reached.
    /// </summary>
    public static async Task<RedisSaleStore> ConnectAsync(RedisStoreOptions options, TimeProvider? time = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error) throw new ArgumentException(error, nameof(options));
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = true;
        configuration.SyncTimeout = options.CommandTimeoutMs;
        configuration.AsyncTimeout = options.CommandTimeoutMs;

        // A command to a primary that is down fails at once (the attempt answers busy) instead of waiting in a backlog.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
#pragma warning disable RS0030 // library default for callers that pass no clock; hosts and tests pass theirs
        var store = new RedisSaleStore(options, time ?? TimeProvider.System, logger ?? NullLogger.Instance, connection,
            configuration);
#pragma warning restore RS0030
        try
        {
            await store.StartAsync();
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        return store;
    }

    /// <summary>
    /// Stops the background work, sends what is queued, waits for the batches in flight and closes the connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        foreach (var loop in _loops)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        foreach (var sale in Volatile.Read(ref _ordered))
        {
            await sale.Batcher.StopAsync();
            sale.Batcher.Dispose();
        }

        if (_replicated is not null) await _replicated.DisposeAsync();

        try
        {
            if (_connection.IsConnected)
            {
                await FlushStatsAsync();
                await ReleaseLeaseAsync();
            }
        }
        catch (RedisException)
        {
            // Counts of answers are best effort (as in embedded mode, where they are kept in memory).
        }

        await _connection.CloseAsync();
        await _connection.DisposeAsync();
        _stop.Dispose();
        RedisLog.Stopped(_logger);
    }

    private async Task StartAsync()
    {
        _connection.ConnectionFailed += (_, _) => FindPrimaryAgain();
        await _scripts.LoadAllAsync();
        await _subscriber.SubscribeAsync(_keys.Catalog, (_, message) => OnCatalogMessage(message));
        await RefreshAsync();
        if (_options.RefreshInterval > TimeSpan.Zero)
        {
            _loops.Add(RunEveryAsync(_options.RefreshInterval,
            RefreshAsync, RedisLog.RefreshFailed));
        }

        if (_options.ExpiryInterval > TimeSpan.Zero)
        {
            _loops.Add(RunEveryAsync(_options.ExpiryInterval,
            ExpireDueAsync, RedisLog.ExpiryFailed));
        }

        RedisLog.Connected(_logger, string.Join(',', _connection.GetEndPoints().Select(e => e.ToString())), GatewayId);
    }

    private async Task RunEveryAsync(TimeSpan interval, Func<Task> work, Action<ILogger, Exception> failed)
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(interval, Time, _stop.Token);
            try
            {
                await work();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                failed(_logger, e);
            }
        }
    }

    /// <summary>
    /// After a connection fails, and while no primary is connected, reads the deployment's roles again every 250 ms:
    /// without a cluster, a replica promoted by an operator or Sentinel (REPLICAOF NO ONE) is found this way.
    /// </summary>
    private void FindPrimaryAgain()
    {
        if (Interlocked.Exchange(ref _findingPrimary, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                while (!_stop.IsCancellationRequested && !HasPrimary())
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), _stop.Token);
                    try
                    {
                        await _connection.ConfigureAsync();
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        RedisLog.ReconfigureFailed(_logger, e);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            finally
            {
                Volatile.Write(ref _findingPrimary, 0);
            }
        });
    }

    private bool HasPrimary()
    {
        foreach (var server in _connection.GetServers())
        {
            if (server.IsConnected && !server.IsReplica) return true;
        }

        return false;
    }

    private long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
