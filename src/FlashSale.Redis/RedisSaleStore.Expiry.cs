using FlashSale.Redis.Catalog;
using FlashSale.Redis.Keys;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    private const int ExpiryPage = 100;
    private long? _leaseToken;

    /// <summary>
    /// Expires every hold due now, in every sale, when this gateway holds the expiry lease (taking it when free): one
    /// gateway at a time does this. Each call of the script carries the lease's fencing token and is refused in a sale
    /// where a newer holder has already acted, so a holder that lost its lease without knowing cannot act. Returns how
    /// many holds expired (0 when another gateway holds the lease).
    /// </summary>
    public async Task<int> ExpireDueAsync()
    {
        if (await HoldLeaseAsync() is not { } token) return 0;
        var total = 0;
        foreach (var cached in Volatile.Read(ref _ordered))
        {
            var expired = await ExpireSaleAsync(cached, token);
            if (expired < 0)
            {
                RedisLog.Fenced(_logger, cached.Sale.Id, token);
                _leaseToken = null;
                break;
            }

            total += expired;
        }

        return total;
    }

    /// <summary>
    /// Expires the due holds of one sale under fencing token <paramref name="token"/>; -1 when fenced off.
    /// </summary>
    internal async Task<int> ExpireSaleAsync(string saleId, long token) => await ExpireSaleAsync(_sales[saleId], token);

    /// <summary>The fencing token of the lease this gateway holds, or null.</summary>
    internal long? LeaseToken => _leaseToken;

    private async Task<int> ExpireSaleAsync(CachedSale cached, long token)
    {
        var total = 0;
        while (true)
        {
            var reply = (RedisResult[])(await _scripts.Change.EvaluateAsync(
                _database, cached.Keys.Meta, [cached.Keys.Tag, NowMs, "expire", token, ExpiryPage]))!;
            var expired = (int)reply[0];
            if (expired < 0) return -1;
            ApplyItems(cached, reply, 2);
            total += expired;
            if ((int)reply[1] < ExpiryPage) return total;
        }
    }

    /// <summary>
    /// Gives the lease up (on stop), so another gateway takes over at once instead of after it lapses.
    /// </summary>
    private async Task ReleaseLeaseAsync()
    {
        if (_leaseToken is { } held) await _scripts.Lease.EvaluateAsync(_database, _keys.ExpiryLease, [held, 0]);
        _leaseToken = null;
    }

    private async Task<long?> HoldLeaseAsync()
    {
        var lease = (long)_options.LeaseDuration.TotalMilliseconds;
        if (_leaseToken is { } held)
        {
            if ((int)await _scripts.Lease.EvaluateAsync(_database, _keys.ExpiryLease, [held, lease]) == 1) return held;
            _leaseToken = null;
        }

        if (await _database.KeyExistsAsync(_keys.ExpiryLease)) return null;
        var token = await _database.StringIncrementAsync(_keys.ExpiryFence);
        if (!await _database.StringSetAsync(_keys.ExpiryLease, token, _options.LeaseDuration, When.NotExists))
        {
            return null;
        }

        _leaseToken = token;
        return token;
    }
}
