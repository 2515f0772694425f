using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Durability;

/// <summary>
/// The persistence check a gateway runs at start (CONFIG GET appendonly/appendfsync, INFO replication).
/// </summary>
public sealed class DurabilityCheckTests
{
    [Fact]
    public async Task A_primary_with_appendfsync_always_and_no_replica_cannot_lose_acknowledged_wins()
    {
        using var redis = RedisProcess.Start("--appendonly", "yes", "--appendfsync", "always");
        await using var store = await Connect(redis.EndPoint);

        var report = await store.CheckDurabilityAsync();

        Assert.False(report.CanLoseWins, string.Join("; ", report.Warnings));
        Assert.Empty(report.Warnings);
        Assert.Equal([$"{redis.EndPoint}: appendonly yes, appendfsync always, 0 replicas connected"], report.Primaries);
    }

    [Fact]
    public async Task A_primary_without_the_append_only_file_is_reported_with_why()
    {
        using var redis = RedisProcess.Start();
        await using var store = await Connect(redis.EndPoint);

        var report = await store.CheckDurabilityAsync();

        Assert.True(report.CanLoseWins);
        Assert.Contains(report.Warnings, w => w.Contains("appendonly is no", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Appendfsync_everysec_is_reported_as_losing_up_to_a_second()
    {
        using var redis = RedisProcess.Start("--appendonly", "yes", "--appendfsync", "everysec");
        await using var store = await Connect(redis.EndPoint);

        var report = await store.CheckDurabilityAsync();

        Assert.True(report.CanLoseWins);
        Assert.Contains(report.Warnings, w => w.Contains("appendfsync is everysec", StringComparison.Ordinal)
            && w.Contains("1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Config_renamed_away_makes_the_settings_unknown_and_a_risk()
    {
        using var redis = RedisProcess.Start("--appendonly", "yes", "--appendfsync", "always", "--rename-command",
            "CONFIG", "");
        await using var store = await Connect(redis.EndPoint);

        var report = await store.CheckDurabilityAsync();

        Assert.True(report.CanLoseWins);
        Assert.Contains(report.Warnings, w => w.Contains("persistence settings unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replicas_without_WaitReplicas_are_a_failover_risk_and_too_few_replicas_a_busy_risk()
    {
        using var redis = new ReplicatedRedis(1, "--appendonly", "yes", "--appendfsync", "always");
        await using (var store = await Connect(redis.Configuration))
        {
            var report = await store.CheckDurabilityAsync();
            Assert.True(report.CanLoseWins);
            Assert.Contains(report.Warnings, w => w.Contains("a failover to a replica", StringComparison.Ordinal));
        }

        await using (var store = await Connect(redis.Configuration, waitReplicas: 1))
        {
            var report = await store.CheckDurabilityAsync();
            Assert.False(report.CanLoseWins, string.Join("; ", report.Warnings));
            Assert.Empty(report.Warnings);
        }

        await using (var store = await Connect(redis.Configuration, waitReplicas: 2))
        {
            var report = await store.CheckDurabilityAsync();
            Assert.False(report.CanLoseWins, string.Join("; ", report.Warnings));
            Assert.Contains(report.Warnings, w => w.Contains("answers busy", StringComparison.Ordinal));
        }
    }

    private static Task<RedisSaleStore> Connect(string configuration, int waitReplicas = 0) =>
        RedisSaleStore.ConnectAsync(new RedisStoreOptions
        {
            Configuration = configuration,
            KeyPrefix = Stores.NewPrefix(),
            RefreshInterval = TimeSpan.Zero,
            ExpiryInterval = TimeSpan.Zero,
            WaitReplicas = waitReplicas,
        }, Stores.Clock());
}
