using System.Collections.Concurrent;

namespace FlashSale.Core.Admission;

/// <summary>
/// One process's record of used one-time passes. An entry is needed only until its pass expires (an expired pass is
/// refused anyway), so entries past their expiry are swept, at most once a second, by the caller that notices: the
/// memory held is bounded by the passes issued within one lifetime.
/// </summary>
public sealed class UsedPasses(TimeProvider time) : IUsedPasses
{
    private readonly ConcurrentDictionary<UInt128, long> _used = new();
    private long _nextSweepMs;

    /// <summary>Passes remembered now.</summary>
    public int Count => _used.Count;

    /// <inheritdoc />
    public bool TryUse(UInt128 nonce, long expiresAtMs)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var next = Volatile.Read(ref _nextSweepMs);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweepMs, now + 1000, next) == next) Sweep(now);
        return _used.TryAdd(nonce, expiresAtMs);
    }

    private void Sweep(long now)
    {
        foreach (var (nonce, expires) in _used)
        {
            if (expires <= now) _used.TryRemove(new KeyValuePair<UInt128, long>(nonce, expires));
        }
    }
}
