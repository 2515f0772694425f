using System.Numerics;

namespace FlashSale.Server.Metrics;

/// <summary>
/// A cumulative log-scale histogram of durations (four buckets per doubling, from 1 µs to about an hour), cheap
/// enough for the purchase path: one integer log and one interlocked increment. Readers copy the counts and diff
/// two copies to get the percentiles of an interval (the operator console's live p50/p99), so any number of readers
/// can sample it without disturbing one another.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Number of buckets.</summary>
    public const int BucketCount = 4 * 32;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Counts one duration.</summary>
    public void Record(double seconds)
    {
        var micros = (ulong)Math.Clamp(Math.Ceiling(seconds * 1e6), 1, 1e12);
        Interlocked.Increment(ref _counts[BucketOf(micros)]);
    }

    /// <summary>Copies the cumulative counts into <paramref name="counts"/> (of <see cref="BucketCount"/>).</summary>
    public void CopyTo(long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        for (var i = 0; i < BucketCount; i++) counts[i] = Volatile.Read(ref _counts[i]);
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0..1) of what was recorded between two copies, in seconds (the upper bound of
    /// its bucket, so less than 25% high), or null when nothing was.
    /// </summary>
    public static double? Quantile(long[] before, long[] after, double quantile)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        long total = 0;
        for (var i = 0; i < BucketCount; i++) total += after[i] - before[i];
        if (total <= 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += after[i] - before[i];
            if (seen >= rank) return UpperBoundMicros(i) / 1e6;
        }

        return UpperBoundMicros(BucketCount - 1) / 1e6;
    }

    /// <summary>Records between two copies.</summary>
    public static long CountBetween(long[] before, long[] after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        long total = 0;
        for (var i = 0; i < BucketCount; i++) total += after[i] - before[i];
        return total;
    }

    private static int BucketOf(ulong micros)
    {
        // Below 4 µs a bucket per microsecond; above, four per doubling (the two bits after the leading one).
        if (micros < 4) return (int)micros;
        var log = BitOperations.Log2(micros);
        return Math.Min(BucketCount - 1, (log * 4) + (int)((micros >> (log - 2)) & 3));
    }

    private static double UpperBoundMicros(int bucket)
    {
        if (bucket < 4) return bucket + 1;
        return Math.Pow(2, bucket / 4) * (1 + (((bucket % 4) + 1) / 4.0));
    }
}
