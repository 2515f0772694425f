using StackExchange.Redis;

namespace FlashSale.Redis.Keys;

/// <summary>
/// The keys of one sale. Every one starts with the sale's hash tag <c>{fs:sale:&lt;id&gt;}</c>, so they all live in one
/// cluster slot and one script call may touch any of them; the scripts build the rest from <see cref="Tag"/>.
/// (<c>fs</c> is the default <see cref="RedisStoreOptions.KeyPrefix"/>.)
/// </summary>
internal sealed class SaleKeys
{
    public SaleKeys(string prefix, string saleId)
    {
        Tag = "{" + prefix + ":sale:" + saleId + "}";
        Meta = Tag + ":meta";
        Definition = Tag + ":def";
        Stock = Tag + ":stock";
        FlagVersions = Tag + ":flagv";
        Reservations = Tag + ":res";
        Stats = Tag + ":stats";
        Counts = Tag + ":count";
        Outbox = Tag + ":outbox";
        Flags = RedisChannel.Sharded(Tag + ":flags");
    }

    /// <summary>The hash tag, which the scripts use as the prefix of every key.</summary>
    public string Tag { get; }

    /// <summary>Hash: starts, ends, limit, holdMs, elig, items, created, closed, soldOutAt, seq, fence.</summary>
    public RedisKey Meta { get; }

    /// <summary>String: the sale's definition as JSON.</summary>
    public RedisKey Definition { get; }

    /// <summary>Hash: item index to units on sale.</summary>
    public RedisKey Stock { get; }

    /// <summary>Hash: item index to its sold-out flag version (odd: sold out).</summary>
    public RedisKey FlagVersions { get; }

    /// <summary>Hash: reservation sequence number to the packed reservation.</summary>
    public RedisKey Reservations { get; }

    /// <summary>Hash: outcome word to answers.</summary>
    public RedisKey Stats { get; }

    /// <summary>Hash: reservation status word to reservations.</summary>
    public RedisKey Counts { get; }

    /// <summary>Stream: every won reservation, appended by the deciding script.</summary>
    public RedisKey Outbox { get; }

    /// <summary>The sale's sold-out flag channel (sharded pub/sub: it lives in the sale's slot).</summary>
    public RedisChannel Flags { get; }

    /// <summary>
    /// Hash: user id to <c>&lt;live&gt;|&lt;seq&gt;,&lt;seq&gt;,...</c> (live reservations, then all of them in order).
    /// </summary>
    public RedisKey Buyers => Tag + ":buyers";

    /// <summary>String: the sale's admission strategy as JSON (absent: every check off).</summary>
    public RedisKey Admission => Tag + ":admission";
}
