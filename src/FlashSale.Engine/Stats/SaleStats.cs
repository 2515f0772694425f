using FlashSale.Core.Purchases;

namespace FlashSale.Engine.Stats;

/// <summary>Counters of one sale's attempts by outcome, updated from any thread. Kept in memory; after a restart they count from zero, except <c>won</c>, which is rebuilt from the journal.</summary>
internal sealed class SaleStats
{
    private readonly long[] _counts = new long[16];
    private long _soldOutAtMs = long.MinValue;

    public void Count(Outcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);

    public void Add(Outcome outcome, long count) => Interlocked.Add(ref _counts[(int)outcome], count);

    public long CountOf(Outcome outcome) => Volatile.Read(ref _counts[(int)outcome]);

    public void SoldOutAt(long atMs) => Interlocked.CompareExchange(ref _soldOutAtMs, atMs, long.MinValue);

    public void Reopened() => Volatile.Write(ref _soldOutAtMs, long.MinValue);

    public DateTimeOffset? SoldOutAtTime
    {
        get
        {
            var ms = Volatile.Read(ref _soldOutAtMs);
            return ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }
}
