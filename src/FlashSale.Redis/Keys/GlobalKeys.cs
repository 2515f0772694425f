using StackExchange.Redis;

namespace FlashSale.Redis.Keys;

/// <summary>The few keys outside any sale's slot: written rarely, never on the decision path.</summary>
internal sealed class GlobalKeys(string prefix)
{
    /// <summary>The namespace of every key (<see cref="RedisStoreOptions.KeyPrefix"/>).</summary>
    public string Prefix { get; } = prefix;

    /// <summary>Sorted set of sale ids, scored by creation time.</summary>
    public RedisKey Sales { get; } = prefix + ":sales";

    /// <summary>The expiry lease: its value is the holder's fencing token.</summary>
    public RedisKey ExpiryLease { get; } = prefix + ":lease:expiry";

    /// <summary>Counter handing out fencing tokens for the expiry lease.</summary>
    public RedisKey ExpiryFence { get; } = prefix + ":lease:fence";

    /// <summary>Channel of catalog changes (a sale created or closed); rare, so plain pub/sub.</summary>
    public RedisChannel Catalog { get; } = RedisChannel.Literal(prefix + ":catalog");

    /// <summary>Hash: <c>&lt;kind&gt;:&lt;value&gt;</c> to an entry of the block list as JSON.</summary>
    public RedisKey Blocks { get; } = prefix + ":blocks";

    /// <summary>The keys of one sale.</summary>
    public SaleKeys Sale(string saleId) => new(Prefix, saleId);
}
