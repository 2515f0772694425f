using FlashSale.Server.Metrics;

namespace FlashSale.Server.Tests.Metrics;

public sealed class LatencyHistogramTests
{
    private static long[] Copy(LatencyHistogram histogram)
    {
        var counts = new long[LatencyHistogram.BucketCount];
        histogram.CopyTo(counts);
        return counts;
    }

    [Theory]
    [InlineData(0.000_003)]
    [InlineData(0.000_250)]
    [InlineData(0.001)]
    [InlineData(0.0137)]
    [InlineData(0.5)]
    [InlineData(42.0)]
    public void A_quantile_is_the_upper_bound_of_its_bucket_at_most_a_quarter_high(double seconds)
    {
        var histogram = new LatencyHistogram();
        var before = Copy(histogram);
        histogram.Record(seconds);
        var median = LatencyHistogram.Quantile(before, Copy(histogram), 0.5)!.Value;
        Assert.InRange(median, seconds, (seconds * 1.25) + 0.000_001);
    }

    [Fact]
    public void Percentiles_of_an_interval_ignore_what_came_before_it()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 1000; i++) histogram.Record(0.5);
        var before = Copy(histogram);
        for (var i = 0; i < 990; i++) histogram.Record(0.001);
        for (var i = 0; i < 10; i++) histogram.Record(0.1);
        var after = Copy(histogram);

        Assert.Equal(1000, LatencyHistogram.CountBetween(before, after));
        Assert.InRange(LatencyHistogram.Quantile(before, after, 0.5)!.Value, 0.001, 0.00125);
        Assert.InRange(LatencyHistogram.Quantile(before, after, 0.99)!.Value, 0.001, 0.00125);
        Assert.InRange(LatencyHistogram.Quantile(before, after, 0.999)!.Value, 0.1, 0.125);
    }

    [Fact]
    public void An_interval_without_records_has_no_percentile()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(0.01);
        var copy = Copy(histogram);
        Assert.Null(LatencyHistogram.Quantile(copy, copy, 0.99));
        Assert.Equal(0, LatencyHistogram.CountBetween(copy, copy));
    }
}
