using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace FlashSale.Crowd;

/// <summary>
/// Counts answers by outcome and records latencies in HdrHistogram recorders (wait-free for the recording threads);
/// <see cref="Sample"/> closes an interval (about a second) into the timeline and the run's totals.
/// Latency is measured from the time a click was meant to be sent (no coordinated omission in the open loop);
/// service time from the time it was sent.
/// </summary>
internal sealed class CrowdRecorder
{
    /// <summary>Latencies are recorded in microseconds, up to an hour.</summary>
    private const long HighestMicros = 3_600_000_000;

    private readonly long[] _counts = new long[CrowdOutcomes.Count];
    private readonly long[] _sampled = new long[CrowdOutcomes.Count];
    private readonly Recorder _latency = NewRecorder();
    private readonly Recorder _service = NewRecorder();
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly List<TimelinePoint> _timeline = [];
    private readonly long _start;
    private HistogramBase? _latencyInterval;
    private HistogramBase? _serviceInterval;
    private long _firstSend = long.MaxValue;
    private long _lastAnswer;
    private long _lastWin;
    private long _lastSample;

    /// <param name="start">Timestamp of the sale's start; the timeline's zero.</param>
    public CrowdRecorder(long start)
    {
        _start = start;
        _lastSample = start;
    }

    /// <summary>Every latency of the run so far (as of the last sample), microseconds.</summary>
    public LongHistogram Latency { get; } = NewHistogram();

    /// <summary>Every service time (send to answer) of the run so far, microseconds.</summary>
    public LongHistogram Service { get; } = NewHistogram();

    public IReadOnlyList<TimelinePoint> Timeline => _timeline;

    public IReadOnlyDictionary<string, long> Errors => _errors;

    /// <summary>Answers so far by outcome.</summary>
    public long Count(CrowdOutcome outcome) => Volatile.Read(ref _counts[(int)outcome]);

    public long Answers
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++) total += Volatile.Read(ref _counts[i]);
            return total;
        }
    }

    /// <summary>Timestamp of the first request sent, or null before any.</summary>
    public long? FirstSend => _firstSend == long.MaxValue ? null : _firstSend;

    public long LastAnswer => Volatile.Read(ref _lastAnswer);

    /// <summary>Timestamp of the last <c>won</c> answer, 0 when none.</summary>
    public long LastWin => Volatile.Read(ref _lastWin);

    /// <summary>Records one answer (any thread).</summary>
    public void Record(in PurchaseAnswer answer, long intended, long sent, long answered)
    {
        Interlocked.Increment(ref _counts[(int)answer.Outcome]);
        if (sent < _firstSend) InterlockedMin(ref _firstSend, sent);
        if (answered > _lastAnswer) InterlockedMax(ref _lastAnswer, answered);
        if (answer.Outcome == CrowdOutcome.Won && answered > _lastWin) InterlockedMax(ref _lastWin, answered);
        if (answer.Error is { } error) _errors.AddOrUpdate(error, 1, static (_, n) => n + 1);
        _latency.RecordValue(Math.Clamp(Micros(answered - intended), 1, HighestMicros));
        _service.RecordValue(Math.Clamp(Micros(answered - sent), 1, HighestMicros));
    }

    /// <summary>Closes the interval that ends at <paramref name="now"/> (one thread: the sampler).</summary>
    public TimelinePoint Sample(long now, long? unitsRemaining)
    {
        _latencyInterval = _latency.GetIntervalHistogram(_latencyInterval);
        _serviceInterval = _service.GetIntervalHistogram(_serviceInterval);
        Latency.Add(_latencyInterval);
        Service.Add(_serviceInterval);
        var answers = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var outcome in CrowdOutcomes.All)
        {
            var total = Count(outcome);
            var delta = total - _sampled[(int)outcome];
            _sampled[(int)outcome] = total;
            if (delta != 0) answers[outcome.Word()] = delta;
        }

        var interval = _latencyInterval;
        var point = new TimelinePoint(
            Seconds(now), (double)(now - _lastSample) / Stopwatch.Frequency, answers,
            Ms(interval, 50), Ms(interval, 90), Ms(interval, 99), interval.TotalCount == 0 ? 0 : interval.GetMaxValue() / 1000.0,
            unitsRemaining, Count(CrowdOutcome.Won));
        _lastSample = now;
        _timeline.Add(point);
        return point;
    }

    /// <summary>Seconds from the sale's start to <paramref name="timestamp"/>.</summary>
    public double Seconds(long timestamp) => (double)(timestamp - _start) / Stopwatch.Frequency;

    public static double Ms(HistogramBase histogram, double percentile)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;
    }

    private static long Micros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    private static Recorder NewRecorder() =>
        HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(HighestMicros).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();

    private static LongHistogram NewHistogram() => new(1, HighestMicros, 3);

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private static void InterlockedMin(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
