using HdrHistogram;

namespace FlashSale.Crowd;

/// <summary>Percentiles of a latency histogram, in milliseconds.</summary>
internal sealed record LatencySummary(
    long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary Of(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0) return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        return new LatencySummary(
            histogram.TotalCount,
            CrowdRecorder.Ms(histogram, 50),
            CrowdRecorder.Ms(histogram, 90),
            CrowdRecorder.Ms(histogram, 99),
            CrowdRecorder.Ms(histogram, 99.9),
            histogram.GetMaxValue() / 1000.0,
            histogram.GetMean() / 1000.0);
    }
}
