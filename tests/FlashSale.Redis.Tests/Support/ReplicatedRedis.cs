using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace FlashSale.Redis.Tests.Support;

/// <summary>
/// One primary with replicas, made for one test that breaks it: <see cref="FailOver"/> kills the primary (kill -9)
/// and promotes a replica by hand, as Sentinel would.
/// </summary>
public sealed class ReplicatedRedis : RedisDeployment
{
    private readonly List<RedisProcess> _all = [];

    public ReplicatedRedis(int replicas, params string[] arguments)
    {
        try
        {
            Primary = RedisProcess.Start(arguments);
            _all.Add(Primary);
            for (var i = 0; i < replicas; i++)
            {
                var replica = RedisProcess.Start([.. arguments, "--replicaof", "127.0.0.1",
                    Primary.Port.ToString(CultureInfo.InvariantCulture)]);
                _all.Add(replica);
                Replicas.Add(replica);
            }

            foreach (var replica in Replicas) WaitForLink(replica);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public RedisProcess Primary { get; private set; }

    public List<RedisProcess> Replicas { get; } = [];

    /// <summary>Every server started, the dead ones too: the gateways are configured with all of them.</summary>
    public override string Configuration => string.Join(',', _all.Select(r => r.EndPoint));

    public override IReadOnlyList<RedisProcess> Primaries => [Primary];

    /// <summary>
    /// kill -9 of the primary, then promotes the replica that received the most of its stream (what Sentinel picks)
    /// with REPLICAOF NO ONE, makes the other replicas follow it, and starts one new replica of it (the replacement
    /// an operator adds, so that WaitReplicas can be met again). Returns the promoted one.
    /// </summary>
    public RedisProcess FailOver()
    {
        Primary.Kill();
        var promoted = Replicas.MaxBy(r => long.Parse(r.Info("replication", "slave_repl_offset") ?? "0",
            CultureInfo.InvariantCulture))!;
        promoted.Cli("REPLICAOF", "NO", "ONE");
        Replicas.Remove(promoted);
        var port = promoted.Port.ToString(CultureInfo.InvariantCulture);
        foreach (var replica in Replicas) replica.Cli("REPLICAOF", "127.0.0.1", port);
        var replacement = RedisProcess.Start("--replicaof", "127.0.0.1", port);
        _all.Add(replacement);
        Replicas.Add(replacement);
        Primary = promoted;
        return promoted;
    }

    /// <summary>
    /// Cuts a replica off its primary (it follows a port where nothing listens): it keeps what it has and falls
    /// behind, as a replica behind a slow or broken link does. Sent over a connection opened beforehand, since
    /// starting redis-cli may take longer than the sale.
    /// </summary>
    public static async Task CutOffAsync(IServer replica) => await replica.ExecuteAsync("REPLICAOF", "127.0.0.1",
        RedisProcess.FreePort().ToString(CultureInfo.InvariantCulture));

    /// <summary>Waits until every replica is connected to the primary and has caught up.</summary>
    public void WaitForReplicas()
    {
        foreach (var replica in Replicas) WaitForLink(replica);
    }

    public override void Dispose()
    {
        foreach (var redis in _all) redis.Dispose();
    }

    private static void WaitForLink(RedisProcess replica)
    {
        Tools.WaitUntil(() => replica.Info("replication", "master_link_status") == "up", TimeSpan.FromSeconds(30),
            $"replica {replica.EndPoint} did not connect to its primary");
    }
}
