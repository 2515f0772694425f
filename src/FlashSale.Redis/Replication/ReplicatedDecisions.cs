using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace FlashSale.Redis.Replication;

/// <summary>
/// Sends decide calls over a dedicated connection per primary, each round followed by <c>WAIT</c> (see
/// <see cref="PrimaryWriter"/>). The primary of a key is the one the multiplexer currently routes the key's slot to;
/// after a failover the multiplexer learns the new primary and later calls go there.
/// </summary>
internal sealed class ReplicatedDecisions : IAsyncDisposable
{
    private readonly ConcurrentDictionary<EndPoint, PrimaryWriter> _writers = new();
    private readonly IConnectionMultiplexer _multiplexer;
    private readonly IDatabase _database;
    private readonly ConfigurationOptions _settings;
    private readonly RedisStoreOptions _options;
    private readonly string _script;
    private readonly string _sha1;
    private int _reconfiguring;
    private int _disposed;

    public ReplicatedDecisions(IConnectionMultiplexer multiplexer, ConfigurationOptions settings,
        RedisStoreOptions options, string script)
    {
        _multiplexer = multiplexer;
        _database = multiplexer.GetDatabase();
        _settings = settings;
        _options = options;
        _script = script;
#pragma warning disable CA5350 // EVALSHA names a script by its SHA-1: Redis's choice, not a security use
        _sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(script)));
#pragma warning restore CA5350
    }

    /// <summary>Runs the script with one key and <paramref name="args"/> on the key's primary, then WAIT.</summary>
    public Task<ReplicatedReply> DecideAsync(RedisKey key, RedisValue[] args)
    {
        EndPoint? endPoint;
        try
        {
            endPoint = _database.IdentifyEndpoint(key, CommandFlags.DemandMaster);
        }
        catch (RedisException e)
        {
            return Task.FromException<ReplicatedReply>(NoPrimary(key, e));
        }

        if (endPoint is null || Volatile.Read(ref _disposed) == 1)
        {
            return Task.FromException<ReplicatedReply>(NoPrimary(key, null));
        }

        var command = new RedisValue[4 + args.Length];
        command[0] = "EVALSHA";
        command[1] = _sha1;
        command[2] = 1;
        command[3] = (string?)key;
        args.CopyTo(command, 4);
        var call = new ReplicatedCall(command);
        _writers.GetOrAdd(endPoint, static (primary, self) => new PrimaryWriter(primary, self._settings,
            self._script, self._sha1, self._options.WaitReplicas, self._options.WaitTimeout,
            TimeSpan.FromMilliseconds(self._options.CommandTimeoutMs), self.Reconfigure), this).Enqueue(call);
        return call.Reply;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var writer in _writers.Values) await writer.DisposeAsync();
        _writers.Clear();
    }

    private static RedisConnectionException NoPrimary(RedisKey key, Exception? inner) =>
        new(ConnectionFailureType.UnableToResolvePhysicalConnection, CommandFlags.None,
            "no primary connected for " + key.ToString(), inner, CommandStatus.WaitingToBeSent);

    /// <summary>
    /// A primary refused a call for a slot it does not serve: the multiplexer reads the topology again.
    /// </summary>
    private void Reconfigure()
    {
        if (Interlocked.Exchange(ref _reconfiguring, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await _multiplexer.ConfigureAsync();
            }
            finally
            {
                Volatile.Write(ref _reconfiguring, 0);
            }
        });
    }
}
