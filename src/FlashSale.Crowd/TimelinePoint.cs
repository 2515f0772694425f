namespace FlashSale.Crowd;

/// <summary>One interval of the run (about a second): answers by outcome, latency percentiles, units left.</summary>
/// <param name="Seconds">End of the interval, seconds since the sale's start.</param>
/// <param name="Interval">Length of the interval, seconds.</param>
/// <param name="Answers">Answers in the interval by outcome word.</param>
/// <param name="P50Ms">Median latency of the interval's answers.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MaxMs">Slowest answer.</param>
/// <param name="UnitsRemaining">
/// Units left as the server said at the end of the interval (null if it did not answer).
/// </param>
/// <param name="CrowdWins">Wins the crowd heard so far.</param>
internal sealed record TimelinePoint(
    double Seconds,
    double Interval,
    IReadOnlyDictionary<string, long> Answers,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    long? UnitsRemaining,
    long CrowdWins)
{
    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in Answers.Values) total += count;
            return total;
        }
    }
}
