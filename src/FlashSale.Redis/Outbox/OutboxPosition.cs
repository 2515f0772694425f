using StackExchange.Redis;

namespace FlashSale.Redis.Outbox;

/// <summary>
/// A position in one sale's outbox stream: the entry reached and how many of its reservations (fields) were read.
/// An entry holds one batch's wins, so a position may stop inside it; reading resumes at that entry, past those.
/// </summary>
/// <param name="EntryId">The stream entry id (<c>-</c> before the first).</param>
/// <param name="Taken">Reservations of that entry already read.</param>
internal readonly record struct OutboxPosition(RedisValue EntryId, int Taken)
{
    public static OutboxPosition Start => new("-", 0);
}
