namespace FlashSale.Crowd;

/// <summary>
/// How far the server's clock is ahead of ours (negative: behind), from the <c>/api/time</c> sample with the shortest
/// round trip.
/// </summary>
internal readonly record struct ClockOffset(TimeSpan Offset, TimeSpan RoundTrip)
{
    /// <summary>Our clock's reading for the server's instant <paramref name="serverTime"/>.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset serverTime) => serverTime - Offset;
}
