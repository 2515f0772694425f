using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Redis.Tests.Support;

/// <summary>Makes gateways (stores) on a deployment, and sales with ids no other test uses.</summary>
public static class Stores
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>
    /// A key namespace of its own, so that tests sharing a Redis never see each other's sales or lease.
    /// </summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A gateway without background work (refresh, expiry): tests call those themselves.</summary>
    public static Task<RedisSaleStore> Connect(RedisDeployment redis, TimeProvider time, string prefix,
        Action<RedisStoreOptions>? configure = null)
    {
        var options = new RedisStoreOptions
        {
            Configuration = redis.Configuration,
            KeyPrefix = prefix,
            BatchWindow = TimeSpan.Zero,
            RefreshInterval = TimeSpan.Zero,
            ExpiryInterval = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return RedisSaleStore.ConnectAsync(options, time);
    }

    public static string NewSaleId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13,
        128)];
}
