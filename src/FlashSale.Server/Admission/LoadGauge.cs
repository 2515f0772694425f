using System.Collections.Concurrent;

namespace FlashSale.Server.Admission;

/// <summary>
/// Attempts per second per sale, over the last whole second and the current one: what a challenge's difficulty
/// rises with. Approximate by design (two counters, no locks).
/// </summary>
internal sealed class LoadGauge(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _sales = new(StringComparer.Ordinal);

    /// <summary>Counts one attempt at <paramref name="saleId"/>.</summary>
    public void Count(string saleId) =>
        _sales.GetOrAdd(saleId, static _ => new Window()).Count(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000);

    /// <summary>Attempts per second at <paramref name="saleId"/> now.</summary>
    public double Rate(string saleId) =>
        _sales.TryGetValue(saleId, out var window)
            ? window.Rate(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000)
            : 0;

    private sealed class Window
    {
        private long _second;
        private long _current;
        private long _previous;

        public void Count(long second)
        {
            var at = Volatile.Read(ref _second);
            if (second != at && Interlocked.CompareExchange(ref _second, second, at) == at)
            {
                var last = Interlocked.Exchange(ref _current, 0);
                Volatile.Write(ref _previous, second == at + 1 ? last : 0);
            }

            Interlocked.Increment(ref _current);
        }

        public double Rate(long second)
        {
            var at = Volatile.Read(ref _second);
            if (second == at) return Math.Max(Volatile.Read(ref _previous), Volatile.Read(ref _current));
            return second == at + 1 ? Volatile.Read(ref _current) : 0;
        }
    }
}
