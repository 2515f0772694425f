using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using FlashSale.Redis.Tests.Support;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Hosting;

/// <summary>
/// The real executable in cluster mode refusing a Redis it cannot use: one line saying what and how to fix it, exit
/// code 2, no stack trace.
/// </summary>
public sealed partial class RedisStartupFailureTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _work = TempDirectory.Create("fs-redis-startup");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task Serve_on_a_Redis_nobody_answers_at_says_so_in_one_line_and_exits_2()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var server = ServerProcess.Serve(_work, Path.Combine(_work, "data"), "--redis",
            $"127.0.0.1:{port}");
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{server.Output}");
        var complaint = Assert.Single(server.Output.Split('\n'), line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal));
        Assert.Contains($"cannot reach Redis at 127.0.0.1:{port}", complaint, StringComparison.Ordinal);
        Assert.Equal(complaint, server.Output.Trim());
        AssertNoStackTrace(server.Output);
    }

    [Fact]
    public async Task Serve_on_a_Redis_without_an_append_only_file_starts_and_warns_that_wins_could_be_lost()
    {
        using var redis = RedisProcess.Start("--appendonly", "no");
        var environment = new Dictionary<string, string> { ["FlashSale__Redis__Configuration"] = redis.EndPoint };

        await using var server = ServerProcess.Serve(_work, Path.Combine(_work, "data"), environment);
        await server.WaitReadyAsync(Deadline);
        var warning = await server.WaitForOutputAsync(WinsCouldBeLost(), Deadline);

        Assert.Contains(redis.EndPoint, warning, StringComparison.Ordinal);
        Assert.Contains("appendonly", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_Redis_cluster_whose_slots_are_not_all_served_says_so_in_one_line_and_exits_2()
    {
        // A cluster node to which no slot was ever assigned: cluster_state fail, 0 of 16384 slots.
        using var node = RedisProcess.Start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");
        var environment = new Dictionary<string, string> { ["FlashSale__Redis__Configuration"] = node.EndPoint };

        await using var server = ServerProcess.Serve(_work, Path.Combine(_work, "data"), environment);
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{server.Output}");
        var complaint = Assert.Single(server.Output.Split('\n'), line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal));
        Assert.Contains("does not serve every slot", complaint, StringComparison.Ordinal);
        Assert.Contains("0 of 16384", complaint, StringComparison.Ordinal);
        Assert.Equal(complaint, server.Output.Trim());
        AssertNoStackTrace(server.Output);
    }

    [Fact]
    public async Task Serve_with_a_Redis_configuration_string_that_is_not_one_says_so_in_one_line_and_exits_2()
    {
        await using var server = ServerProcess.Serve(_work, Path.Combine(_work, "data"), "--redis",
            "127.0.0.1:6379,nosuchoption=1");
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{server.Output}");
        var complaint = Assert.Single(server.Output.Split('\n'), line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal));
        Assert.Contains("not a StackExchange.Redis configuration string", complaint, StringComparison.Ordinal);
        AssertNoStackTrace(server.Output);
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Acknowledged wins could be lost: [^\n]*")]
    private static partial Regex WinsCouldBeLost();
}
