using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace FlashSale.Crowd;

/// <summary>
/// Counts answers by outcome and records latencies in HdrHistogram recorders (wait-free for the recording threads);
/// <see cref="Sample"/> closes an interval (a tenth of a second early in the run, a second later) into the timelines
/// and the run's totals.
/// Latency is measured from the time a click was meant to be sent (no coordinated omission in the open loop);
/// service time from the time it was sent.
/// </summary>
internal sealed class CrowdRecorder
{
    /// <summary>Resolution of the timeline of a short run.</summary>
    public static readonly TimeSpan FineInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs up to this long get the fine timeline in the report.</summary>
    public static readonly TimeSpan FineSpan = TimeSpan.FromSeconds(10);

    /// <summary>Latencies are recorded in microseconds, up to an hour.</summary>
    private const long HighestMicros = 3_600_000_000;

    private readonly long[] _counts = new long[CrowdOutcomes.Count];
    private readonly long[] _sampled = new long[CrowdOutcomes.Count];
    private readonly Recorder _latency = NewRecorder();
    private readonly Recorder _service = NewRecorder();
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly long[] _sampledAtSecond = new long[CrowdOutcomes.Count];
    private readonly List<TimelinePoint> _fine = [];
    private readonly List<TimelinePoint> _seconds = [];
    private readonly LongHistogram _secondLatency = NewHistogram();
    private bool _fineComplete = true;
    private long _lastSecond;
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
        _lastSecond = start;
    }

    /// <summary>Every latency of the run so far (as of the last sample), microseconds.</summary>
    public LongHistogram Latency { get; } = NewHistogram();

    /// <summary>Every service time (send to answer) of the run so far, microseconds.</summary>
    public LongHistogram Service { get; } = NewHistogram();

    /// <summary>
    /// The timeline of the report: tenths of a second when the whole run fitted in <see cref="FineSpan"/>, so that a
    /// short run still has a shape; seconds otherwise.
    /// </summary>
    public IReadOnlyList<TimelinePoint> Timeline => _fineComplete && _fine.Count > 0 ? _fine : _seconds;

    /// <summary>The timeline by seconds (the live display's rate and percentiles).</summary>
    public IReadOnlyList<TimelinePoint> BySecond => _seconds;

    /// <summary>The tenth-of-a-second timeline of the first <see cref="FineSpan"/>, complete or not.</summary>
    public IReadOnlyList<TimelinePoint> Fine => _fine;

    /// <summary>Length of one point of <see cref="Timeline"/>, seconds.</summary>
    public double Resolution => _fineComplete && _fine.Count > 0 ? FineInterval.TotalSeconds : 1;

    /// <summary>
    /// Most answers within any one second of the run, from the fine timeline when it has one (a run shorter than a
    /// second has all its answers in its peak second), else the per-second timeline.
    /// </summary>
    public long PeakSecond
    {
        get
        {
            var points = _fine.Count > 0 ? _fine : _seconds;
            var window = _fine.Count > 0 ? (int)Math.Round(1 / FineInterval.TotalSeconds) : 1;
            long peak = 0, sum = 0;
            for (var i = 0; i < points.Count; i++)
            {
                sum += points[i].Total;
                if (i >= window) sum -= points[i - window].Total;
                peak = Math.Max(peak, sum);
            }

            if (_fine.Count > 0 && !_fineComplete)
            {
                foreach (var point in _seconds) peak = Math.Max(peak, point.Total);
            }

            return peak;
        }
    }

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

    /// <summary>
    /// Closes the interval that ends at <paramref name="now"/> (one thread: the sampler). Sampled every
    /// <see cref="FineInterval"/> during the first <see cref="FineSpan"/>, every second after; the per-second timeline
    /// is made of the fine intervals, and <paramref name="final"/> closes the last, partial second.
    /// </summary>
    public void Sample(long now, long? unitsRemaining, bool final = false)
    {
        _latencyInterval = _latency.GetIntervalHistogram(_latencyInterval);
        _serviceInterval = _service.GetIntervalHistogram(_serviceInterval);
        Latency.Add(_latencyInterval);
        Service.Add(_serviceInterval);
        _secondLatency.Add(_latencyInterval);
        var answers = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var outcome in CrowdOutcomes.All)
        {
            var total = Count(outcome);
            var delta = total - _sampled[(int)outcome];
            _sampled[(int)outcome] = total;
            if (delta != 0) answers[outcome.Word()] = delta;
        }

        var seconds = Seconds(now);
        if (_fineComplete && seconds <= FineSpan.TotalSeconds + FineInterval.TotalSeconds)
        {
            _fine.Add(Point(now, _lastSample, answers, _latencyInterval, unitsRemaining));
        }
        else
        {
            _fineComplete = false;
        }

        _lastSample = now;
        if (final || Stopwatch.GetElapsedTime(_lastSecond, now) >= TimeSpan.FromSeconds(1) - (FineInterval / 2))
        {
            var second = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var outcome in CrowdOutcomes.All)
            {
                var delta = _sampled[(int)outcome] - _sampledAtSecond[(int)outcome];
                _sampledAtSecond[(int)outcome] = _sampled[(int)outcome];
                if (delta != 0) second[outcome.Word()] = delta;
            }

            _seconds.Add(Point(now, _lastSecond, second, _secondLatency, unitsRemaining));
            _secondLatency.Reset();
            _lastSecond = now;
        }
    }

    /// <summary>When the sampler should next call <see cref="Sample"/>, as a timestamp.</summary>
    public long NextSampleAt =>
        _lastSample + (long)(
            (Seconds(_lastSample) < FineSpan.TotalSeconds ? FineInterval : TimeSpan.FromSeconds(1)).TotalSeconds
            * Stopwatch.Frequency);

    private TimelinePoint Point(
        long now, long since, Dictionary<string, long> answers, HistogramBase interval, long? unitsRemaining) =>
        new(
            Seconds(now), (double)(now - since) / Stopwatch.Frequency, answers,
            Ms(interval, 50), Ms(interval, 90), Ms(interval, 99),
            interval.TotalCount == 0 ? 0 : interval.GetMaxValue() / 1000.0,
            unitsRemaining, Count(CrowdOutcome.Won));

    /// <summary>Seconds from the sale's start to <paramref name="timestamp"/>.</summary>
    public double Seconds(long timestamp) => (double)(timestamp - _start) / Stopwatch.Frequency;

    public static double Ms(HistogramBase histogram, double percentile)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;
    }

    private static long Micros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    private static Recorder NewRecorder() =>
        HistogramFactory.With64BitBucketSize()
            .WithValuesFrom(1)
            .WithValuesUpTo(HighestMicros)
            .WithPrecisionOf(3)
            .WithThreadSafeWrites()
            .WithThreadSafeReads()
            .Create();

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
