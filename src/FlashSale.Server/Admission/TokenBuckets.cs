using System.Collections.Concurrent;

namespace FlashSale.Server.Admission;

/// <summary>
/// Token buckets by key (an address, a sale and an address), refilled lazily from the clock on each take, so no
/// timer runs per bucket and the parameters of each take apply at once (an operator's change of a sale's rate takes
/// effect on the next request). Buckets idle long enough to be full again are swept, at most once a second, by the
/// caller that notices: memory is bounded by the keys seen within one refill period.
/// </summary>
internal sealed class TokenBuckets<TKey>(TimeProvider time)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Bucket> _buckets = new();
    private long _nextSweepMs;

    /// <summary>Buckets held now.</summary>
    public int Count => _buckets.Count;

    /// <summary>
    /// Takes one token from <paramref name="key"/>'s bucket (<paramref name="burst"/> tokens, refilled at
    /// <paramref name="perSecond"/>); when it is empty, false and the milliseconds until a token is back.
    /// </summary>
    public bool TryTake(TKey key, int perSecond, int burst, out long retryAfterMs)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var next = Volatile.Read(ref _nextSweepMs);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweepMs, now + 1000, next) == next) Sweep(now);
        var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Burst, state.Now),
            (Burst: burst, Now: now));
        return bucket.TryTake(now, perSecond, burst, out retryAfterMs);
    }

    private void Sweep(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFullAt(now)) _buckets.TryRemove(new KeyValuePair<TKey, Bucket>(key, bucket));
        }
    }

    private sealed class Bucket(int tokens, long atMs)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _atMs = atMs;
        private double _fullAfterMs;

        public bool TryTake(long now, int perSecond, int burst, out long retryAfterMs)
        {
            lock (_gate)
            {
                if (now > _atMs)
                {
                    _tokens = Math.Min(burst, _tokens + (now - _atMs) * perSecond / 1000.0);
                    _atMs = now;
                }

                _tokens = Math.Min(_tokens, burst);
                _fullAfterMs = (burst - _tokens + 1) * 1000.0 / perSecond;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    retryAfterMs = 0;
                    return true;
                }

                retryAfterMs = (long)Math.Ceiling((1 - _tokens) * 1000.0 / perSecond);
                return false;
            }
        }

        public bool IsFullAt(long now)
        {
            lock (_gate) return now - _atMs >= _fullAfterMs;
        }
    }
}
