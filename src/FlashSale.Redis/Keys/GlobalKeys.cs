using StackExchange.Redis;

namespace FlashSale.Redis.Keys;

/// <summary>The few keys outside any sale's slot: written rarely, never on the decision path.</summary>
internal static class GlobalKeys
{
    /// <summary>Sorted set of sale ids, scored by creation time.</summary>
    public static readonly RedisKey Sales = "fs:sales";

    /// <summary>The expiry lease: its value is the holder's fencing token.</summary>
    public static readonly RedisKey ExpiryLease = "fs:lease:expiry";

    /// <summary>Counter handing out fencing tokens for the expiry lease.</summary>
    public static readonly RedisKey ExpiryFence = "fs:lease:fence";

    /// <summary>Channel of catalog changes (a sale created or closed); rare, so plain pub/sub.</summary>
    public static readonly RedisChannel Catalog = RedisChannel.Literal("fs:catalog");
}
