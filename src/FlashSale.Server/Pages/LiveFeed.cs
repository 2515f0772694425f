using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FlashSale.Engine;
using FlashSale.Server.Api;
using FlashSale.Server.Metrics;

namespace FlashSale.Server.Pages;

/// <summary>
/// <c>GET /admin/live</c>: Server-Sent Events, one <see cref="LiveSnapshot"/> a second, for the operator console's
/// charts. One timer computes and serializes each snapshot once, for every open stream (15,000 streams cost one
/// snapshot a second, not 15,000); it runs only while a stream is open. A new stream gets the latest snapshot at once
/// (a fresh one, with <c>intervalMs</c> 0, when the feed was idle), then every following one.
/// </summary>
internal sealed class LiveFeed(
    FlashSaleEngine engine, ServerMetrics metrics, TimeProvider time, IHostApplicationLifetime lifetime) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private int _streams;
    private Published? _latest;
    private Counters? _previous;
    private long _previousAt;
    private CancellationTokenSource? _stopTimer;

    /// <summary>Streams open now.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>
    /// Streams the snapshots. Each is written as the same pre-encoded <c>event: snapshot</c> frame to every stream
    /// (no per-stream formatting or copy beyond Kestrel's own).
    /// </summary>
    public async Task Stream(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.ContentEncoding = "identity";

        // The stream ends when the console goes away or the server stops (shutdown does not wait for consoles).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, lifetime.ApplicationStopping);
        var current = Open();
        try
        {
            while (true)
            {
                await response.Body.WriteAsync(current.Frame, linked.Token);
                await response.Body.FlushAsync(linked.Token);
                current = await current.Next.Task.WaitAsync(linked.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the console went away or the server stops
        }
        finally
        {
            Close();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopTimer?.Cancel();
            _stopTimer?.Dispose();
            _stopTimer = null;
        }
    }

    private Published Open()
    {
        lock (_gate)
        {
            if (_streams++ == 0)
            {
                _previous = new Counters(engine, metrics);
                _previousAt = Stopwatch.GetTimestamp();
                _latest = new Published(Serialize(_previous.Snapshot(engine, time, _previous, 0)));
                _stopTimer = new CancellationTokenSource();
                _ = RunAsync(_stopTimer.Token);
            }

            return _latest!;
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            if (--_streams > 0) return;
            _stopTimer?.Cancel();
            _stopTimer?.Dispose();
            _stopTimer = null;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop)) Publish();
        }
        catch (OperationCanceledException)
        {
            // the last stream closed
        }
    }

    private void Publish()
    {
        var now = Stopwatch.GetTimestamp();
        var current = new Counters(engine, metrics);
        lock (_gate)
        {
            if (_previous is null || _latest is null) return;
            var seconds = Stopwatch.GetElapsedTime(_previousAt, now).TotalSeconds;
            var published = new Published(Serialize(current.Snapshot(engine, time, _previous, seconds)));
            _previous = current;
            _previousAt = now;
            var before = _latest;
            _latest = published;
            before.Next.TrySetResult(published);
        }
    }

    private static string Serialize(LiveSnapshot snapshot) =>
        JsonSerializer.Serialize(snapshot, PagesJson.Default.LiveSnapshot);

    /// <summary>One snapshot as every stream sends it, and the one after it once there is one.</summary>
    private sealed class Published(string json)
    {
        public byte[] Frame { get; } = Encoding.UTF8.GetBytes("event: snapshot\ndata: " + json + "\n\n");

        public TaskCompletionSource<Published> Next { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The cumulative counters at one moment.</summary>
    private sealed class Counters
    {
        private readonly long[] _purchases = new long[LatencyHistogram.BucketCount];
        private readonly long[] _flushes = new long[LatencyHistogram.BucketCount];
        private readonly Dictionary<string, SaleStatistics> _sales = new(StringComparer.Ordinal);

        public Counters(FlashSaleEngine engine, ServerMetrics metrics)
        {
            metrics.PurchaseLatency.CopyTo(_purchases);
            metrics.FlushLatency.CopyTo(_flushes);
            foreach (var sale in engine.Sales)
            {
                if (engine.GetStats(sale.Id) is { } stats) _sales[sale.Id] = stats;
            }
        }

        public LiveSnapshot Snapshot(FlashSaleEngine engine, TimeProvider time, Counters before, double seconds)
        {
            var sales = new List<LiveSale>(_sales.Count);
            foreach (var sale in engine.Sales)
            {
                if (!_sales.TryGetValue(sale.Id, out var stats)) continue;
                // A sale first seen in this interval was created in it: all its counts are new.
                var earlier = before._sales.GetValueOrDefault(sale.Id);
                var rates = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (word, count) in stats.Outcomes)
                {
                    rates[word] = Rate(count - (earlier?.Outcomes.GetValueOrDefault(word) ?? 0), seconds);
                }

                long stock = 0, left = 0;
                for (var i = 0; i < sale.ItemCount; i++)
                {
                    stock += sale.Definition.Items[i].Stock;
                    left += engine.Remaining(sale.Id, i);
                }

                sales.Add(new LiveSale(
                    sale.Id, sale.Definition.Name, engine.PhaseOf(sale).Word(), stock, left, stats.Attempts, stats.Won,
                    Rate(stats.Won - (earlier?.Won ?? 0), seconds), rates));
            }

            return new LiveSnapshot(
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                (long)Math.Round(seconds * 1000),
                engine.IsHealthy,
                engine.ShardCount,
                engine.QueueDepth,
                Latency(before._purchases, _purchases, seconds),
                Latency(before._flushes, _flushes, seconds),
                sales);
        }

        private static LiveLatency Latency(long[] before, long[] after, double seconds)
        {
            var count = LatencyHistogram.CountBetween(before, after);
            return new LiveLatency(
                count,
                Rate(count, seconds),
                LatencyHistogram.Quantile(before, after, 0.5) * 1000,
                LatencyHistogram.Quantile(before, after, 0.99) * 1000);
        }

        private static double Rate(long count, double seconds) => seconds <= 0 ? 0 : Math.Round(count / seconds, 2);
    }
}
