using FlashSale.Core.Purchases;
using FlashSale.Core.Stores;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    private static readonly Outcome[] CountedOutcomes =
        [.. OutcomeWords.Decisions, Outcome.RequestIdReused, Outcome.RateLimited, Outcome.Busy];

    /// <summary>
    /// The sale's counters over all gateways, or null for an unknown sale. Answers decided in Redis are counted by the
    /// script; answers given by a gateway alone (flags, busy, rate_limited) are added every refresh (this gateway's
    /// at once).
    /// </summary>
    public async ValueTask<SaleStatistics?> GetStatsAsync(string saleId)
    {
        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) return null;
        await FlushStatsAsync();
        var counts = await _database.HashGetAllAsync(cached.Keys.Stats);
        var meta = await _database.HashGetAsync(cached.Keys.Meta, ["seq", "soldOutAt"]);
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var outcome in CountedOutcomes) outcomes[outcome.ToWord()] = 0;
        long attempts = 0;
        foreach (var entry in counts)
        {
            var word = entry.Name.ToString();
            if (!outcomes.ContainsKey(word)) continue;
            outcomes[word] = (long)entry.Value;
            attempts += (long)entry.Value;
        }

        var soldOutAt = meta[1].IsNull ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds((long)meta[1]);
        return new SaleStatistics(attempts, (long?)meta[0] ?? 0, soldOutAt, outcomes);
    }

    /// <summary>Adds the answers this gateway counted alone to Redis.</summary>
    private async Task FlushStatsAsync()
    {
        foreach (var cached in Volatile.Read(ref _ordered))
        {
            foreach (var outcome in CountedOutcomes)
            {
                var count = cached.TakePending(outcome);
                if (count == 0) continue;
                try
                {
                    await _database.HashIncrementAsync(cached.Keys.Stats, outcome.ToWord(), count);
                }
                catch (RedisException)
                {
                    cached.ReturnPending(outcome, count);
                    throw;
                }
            }
        }
    }
}
