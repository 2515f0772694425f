using System.Diagnostics;

namespace FlashSale.Redis.Tests.Support;

/// <summary>One primary with one replica, as a store runs it without a cluster.</summary>
public sealed class StandaloneRedis : RedisDeployment
{
    public StandaloneRedis()
    {
        Primary = RedisProcess.Start();
        Replica = RedisProcess.Start("--replicaof", "127.0.0.1", Primary.Port.ToString(
            System.Globalization.CultureInfo.InvariantCulture));
        Tools.WaitUntil(
            () => Replica.Cli("INFO", "replication").Contains("master_link_status:up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the replica did not connect to its primary");
    }

    public RedisProcess Primary { get; }

    public RedisProcess Replica { get; }

    public override string Configuration => $"{Primary.EndPoint},{Replica.EndPoint}";

    public override IReadOnlyList<RedisProcess> Primaries => [Primary];

    public override void Dispose()
    {
        Replica.Dispose();
        Primary.Dispose();
    }
}
