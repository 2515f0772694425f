using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>
/// <c>flashsale rehearse --redis CONFIG --gateways N</c>, the real executable: N gateway processes over a real
/// redis-server, the crowd spread over them, verified as any rehearsal; and the gateways gone afterwards.
/// </summary>
public sealed partial class RehearseOverRedisTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private readonly string _work = TempDirectory.Create("fs-rehearse-redis");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task Rehearse_over_Redis_with_two_gateways_spreads_the_crowd_over_both_and_passes_every_check()
    {
        using var redis = await DeployRedis.StandaloneAsync(_work);
        var report = Path.Combine(_work, "report");

        // The gateways inherit the rehearsal's environment; the shared test machine can be slow enough for the 2 s
        // default to fail a connection at start.
        await using var rehearsal = ServerProcess.Start(_work,
            new Dictionary<string, string> { ["FlashSale__Redis__CommandTimeoutMs"] = "10000" },
            "rehearse", "--redis", redis.Configuration, "--gateways", "2", "--users", "3000", "--stock", "300",
            "--bots", "0.1", "--connections", "16", "--start-in", "2s", "--early", "1s", "--report", report);
        var exitCode = await rehearsal.WaitForExitAsync(Deadline);
        var text = rehearsal.Output;
        output.WriteLine(text);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{text}");
        // The console wraps long lines: read the output as one line.
        var flat = Whitespace().Replace(text, " ");
        Assert.Contains("2 gateway processes (flashsale serve --redis", flat, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "report.json")));
        var root = json.RootElement;
        Assert.True(root.GetProperty("verification").GetProperty("passed").GetBoolean(), text);
        Assert.Equal(300, root.GetProperty("buyers").GetProperty("winners").GetInt32());
        var gateways = root.GetProperty("run").GetProperty("gateways").EnumerateArray().ToList();
        Assert.Equal(2, gateways.Count);
        Assert.NotEqual(gateways[0].GetProperty("url").GetString(), gateways[1].GetProperty("url").GetString());
        Assert.All(gateways, g => Assert.True(g.GetProperty("answers").GetInt64() > 0, g.ToString()));
        Assert.Equal(root.GetProperty("requests").GetInt64(), gateways.Sum(g => g.GetProperty("answers").GetInt64()));

        // The gateway processes were stopped with the rehearsal.
        var pids = PidList().Match(flat);
        Assert.True(pids.Success, text);
        foreach (var pid in pids.Groups["pids"].Value.Split(", ").Select(int.Parse))
        {
            Assert.False(IsRunning(pid), $"gateway process {pid} still runs after the rehearsal");
        }
    }

    [Fact]
    public async Task Rehearse_gateways_without_redis_is_a_bad_argument_and_unreachable_redis_cannot_run()
    {
        var (withoutRedis, withoutRedisText) =
            await ServerProcess.RunAsync(_work, Deadline, "rehearse", "--gateways", "2");
        Assert.Equal(2, withoutRedis);
        Assert.Contains("--gateways needs --redis", withoutRedisText, StringComparison.Ordinal);

        var (tooMany, tooManyText) = await ServerProcess.RunAsync(_work, Deadline, "rehearse", "--redis",
            "127.0.0.1:6379", "--gateways", "33");
        Assert.Equal(2, tooMany);
        Assert.Contains("--gateways must be 1-32", tooManyText, StringComparison.Ordinal);

        // Nothing listens there: the first gateway says so and exits, and so does the rehearsal (3: could not run).
        var (unreachable, unreachableText) = await ServerProcess.RunAsync(_work, Deadline, "rehearse", "--redis",
            $"127.0.0.1:{FreePorts.One()}", "--gateways", "2", "--users", "10");
        output.WriteLine(unreachableText);
        Assert.True(unreachable == 3, $"exit code {unreachable}:\n{unreachableText}");
        Assert.Contains("flashsale rehearse: gateway 1", unreachableText, StringComparison.Ordinal);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"flashsale serve --redis, pids (?<pids>[0-9, ]+)\)")]
    private static partial Regex PidList();
}
