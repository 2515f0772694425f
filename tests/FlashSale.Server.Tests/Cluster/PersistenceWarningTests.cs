using FlashSale.Redis.Tests.Support;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Cluster;

/// <summary>
/// A gateway reads every primary's persistence settings at start and warns, naming the primary and the fix, when an
/// acknowledged win could be lost; with appendonly yes and appendfsync always it says nothing.
/// </summary>
public sealed class PersistenceWarningTests
{
    [Theory]
    [InlineData("no", "everysec", "appendonly is no")]
    [InlineData("yes", "everysec", "appendfsync is everysec")]
    [InlineData("yes", "always", null)]
    public async Task A_gateway_warns_at_start_when_a_crash_of_Redis_could_lose_acknowledged_wins(string appendOnly,
        string appendFsync, string? warning)
    {
        using var redis = RedisProcess.Start("--appendonly", appendOnly, "--appendfsync", appendFsync);
        await using var gateway = await TestServer.StartGatewayAsync(redis.EndPoint);

        var warnings = gateway.Logs.ErrorsAndWarnings(LogLevel.Warning)
            .Where(line => line.Contains("Acknowledged wins could be lost", StringComparison.Ordinal)).ToList();
        if (warning is null)
        {
            Assert.Empty(warnings);
        }
        else
        {
            var line = Assert.Single(warnings);
            Assert.Contains(redis.EndPoint, line, StringComparison.Ordinal);
            Assert.Contains(warning, line, StringComparison.Ordinal);
            Assert.Contains("appendfsync always", line, StringComparison.Ordinal);
        }
    }
}
