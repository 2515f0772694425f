namespace FlashSale.Crowd;

/// <summary>What the live progress shows at one moment.</summary>
/// <param name="Seconds">Seconds since the sale's start (negative before it).</param>
/// <param name="Answers">Answers so far by outcome.</param>
/// <param name="RequestsPerSecond">Answers per second in the last interval.</param>
/// <param name="P50Ms">Median latency of the last interval.</param>
/// <param name="P99Ms">99th percentile of the last interval.</param>
/// <param name="UnitsLeft">Units left as the server says, null when unknown.</param>
/// <param name="Through">Buyers who got a decision.</param>
/// <param name="Buyers">Buyers in the crowd.</param>
internal sealed record ProgressSnapshot(
    double Seconds,
    long[] Answers,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    long? UnitsLeft,
    int Through,
    int Buyers)
{
    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in Answers) total += count;
            return total;
        }
    }
}
