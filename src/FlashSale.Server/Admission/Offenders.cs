using System.Collections.Concurrent;
using FlashSale.Core.Admission;

namespace FlashSale.Server.Admission;

/// <summary>
/// Automatic temporary bans. Each <c>rate_limited</c> refusal is a strike against its key (a buyer or an address, in
/// one sale); <see cref="AutoBanPolicy.Threshold"/> strikes within <see cref="AutoBanPolicy.WindowSeconds"/> ban the
/// key for <see cref="AutoBanPolicy.BanSeconds"/>. Kept in memory: a ban is a short, automatic measure, and a
/// restart that forgets it costs a hammering client one more window of strikes.
/// </summary>
internal sealed class Offenders<TKey>(TimeProvider time)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Record> _records = new();
    private long _nextSweepMs;

    /// <summary>Keys with strikes or a ban now.</summary>
    public int Count => _records.Count;

    /// <summary>True while <paramref name="key"/> is banned, with the milliseconds left.</summary>
    public bool IsBanned(TKey key, out long remainingMs)
    {
        remainingMs = 0;
        if (!_records.TryGetValue(key, out var record)) return false;
        remainingMs = record.BannedUntilMs - time.GetUtcNow().ToUnixTimeMilliseconds();
        return remainingMs > 0;
    }

    /// <summary>Counts a strike; true when it earns a ban (the ban is in force from now).</summary>
    public bool Strike(TKey key, AutoBanPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.Enabled) return false;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var next = Volatile.Read(ref _nextSweepMs);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweepMs, now + 1000, next) == next) Sweep(now);
        var record = _records.GetOrAdd(key, static _ => new Record());
        return record.Strike(now, policy);
    }

    private void Sweep(long now)
    {
        foreach (var (key, record) in _records)
        {
            if (record.IsIdle(now)) _records.TryRemove(new KeyValuePair<TKey, Record>(key, record));
        }
    }

    private sealed class Record
    {
        private readonly Lock _gate = new();
        private long _windowEndMs;
        private int _strikes;

        public long BannedUntilMs { get; private set; }

        public bool Strike(long now, AutoBanPolicy policy)
        {
            lock (_gate)
            {
                if (now >= _windowEndMs)
                {
                    _windowEndMs = now + policy.WindowSeconds * 1000L;
                    _strikes = 0;
                }

                if (++_strikes < policy.Threshold || now < BannedUntilMs) return false;
                BannedUntilMs = now + policy.BanSeconds * 1000L;
                _strikes = 0;
                _windowEndMs = now;
                return true;
            }
        }

        public bool IsIdle(long now)
        {
            lock (_gate) return now >= _windowEndMs && now >= BannedUntilMs;
        }
    }
}
