using FlashSale.Core.Purchases;

namespace FlashSale.Engine.Stats;

/// <summary>
/// Counters of one sale, updated from any thread: answers by outcome (repeats of a requestId included), kept in
/// memory and counted from zero after a restart; and reservations made, rebuilt from the journal.
/// </summary>
internal sealed class SaleStats
{
    private readonly long[] _counts = new long[OutcomeWords.TableSize];
    private long _reservationsMade;
    private long _soldOutAtMs = long.MinValue;

    public void Count(Outcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);

    public void ReservationMade() => Interlocked.Increment(ref _reservationsMade);

    public void ReservationsRecovered(long count) => Interlocked.Add(ref _reservationsMade, count);

    public long ReservationsMade => Volatile.Read(ref _reservationsMade);

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
