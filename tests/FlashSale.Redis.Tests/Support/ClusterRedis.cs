using System.Diagnostics;

namespace FlashSale.Redis.Tests.Support;

/// <summary>A Redis Cluster of three primaries (no replicas), made with <c>redis-cli --cluster create</c>.</summary>
public sealed class ClusterRedis : RedisDeployment
{
    private readonly List<RedisProcess> _nodes = [];

    public ClusterRedis()
    {
        try
        {
            for (var i = 0; i < 3; i++)
            {
                _nodes.Add(RedisProcess.Start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000"));
            }

            Tools.Run("redis-cli", ["--cluster", "create", .. _nodes.Select(n => n.EndPoint), "--cluster-replicas",
                "0", "--cluster-yes"]);
            Tools.WaitUntil(
                () => _nodes.All(n => n.Cli("CLUSTER", "INFO").Contains("cluster_state:ok", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "the cluster did not reach cluster_state:ok");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override string Configuration => string.Join(',', _nodes.Select(n => n.EndPoint));

    public override IReadOnlyList<RedisProcess> Primaries => _nodes;

    public override void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }
}
