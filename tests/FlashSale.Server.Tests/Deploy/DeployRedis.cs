using System.Globalization;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>
/// Redis as <c>deploy/</c> runs it: every node started with <c>deploy/redis/node.conf</c> (append-only file,
/// <c>appendfsync always</c>, no eviction), here as non-daemon children on free ports in a temporary directory; a
/// cluster made with <c>redis-cli --cluster create</c>, or one standalone primary.
/// </summary>
public sealed class DeployRedis : IDisposable
{
    private readonly List<ChildProcess> _nodes = [];
    private readonly List<int> _ports = [];

    private DeployRedis()
    {
    }

    /// <summary>The StackExchange.Redis configuration string: every node.</summary>
    public string Configuration => string.Join(',', _ports.Select(p => $"127.0.0.1:{p}"));

    /// <summary>One primary (cluster mode off).</summary>
    public static Task<DeployRedis> StandaloneAsync(string work) => StartAsync(work, 1, cluster: false);

    /// <summary>A Redis Cluster of <paramref name="primaries"/> primaries, slots spread by redis-cli.</summary>
    public static Task<DeployRedis> ClusterAsync(string work, int primaries) => StartAsync(work, primaries, true);

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }

    private static async Task<DeployRedis> StartAsync(string work, int nodes, bool cluster)
    {
        var conf = Path.Combine(Repository.Root, "deploy", "redis", "node.conf");
        var redis = new DeployRedis();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var port = FreePorts.WithClusterBus();
                var directory = Path.Combine(work, $"redis-{port}");
                Directory.CreateDirectory(directory);
                redis._ports.Add(port);
                redis._nodes.Add(ChildProcess.Start("redis-server", directory, conf,
                    "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory,
                    "--daemonize", "no", "--logfile", "", "--cluster-enabled", cluster ? "yes" : "no"));
            }

            foreach (var (port, node) in redis._ports.Zip(redis._nodes))
            {
                await Eventually.True($"redis-server on port {port} answers PING", () =>
                {
                    if (node.HasExited) Assert.Fail($"redis-server on port {port} exited:\n{node.Output}");
                    return Task.FromResult(Cli(port, "PING").Contains("PONG", StringComparison.Ordinal));
                });
            }

            if (cluster)
            {
                ChildProcess.Run("redis-cli", work,
                    ["--cluster", "create", .. redis._ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0",
                        "--cluster-yes"]);
                foreach (var port in redis._ports)
                {
                    await Eventually.True($"node {port} reports cluster_state:ok", () => Task.FromResult(
                        Cli(port, "CLUSTER", "INFO").Contains("cluster_state:ok", StringComparison.Ordinal)),
                        TimeSpan.FromSeconds(60));
                }
            }

            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    private static string Cli(int port, params string[] arguments)
    {
        using var cli = ChildProcess.Start("redis-cli", Path.GetTempPath(),
            ["-p", port.ToString(CultureInfo.InvariantCulture), .. arguments]);
        cli.WaitForExit(TimeSpan.FromSeconds(10));
        return cli.Output;
    }
}
