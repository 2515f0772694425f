using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FlashSale.Core.Stores;
using FlashSale.Server.Api;
using FlashSale.Server.Metrics;

namespace FlashSale.Server.Pages;

/// <summary>
/// <c>GET /admin/live</c>: Server-Sent Events, one <see cref="LiveSnapshot"/> a second, for the operator console's
/// charts. One timer computes and serializes each snapshot once, for every open stream (15,000 streams cost one
/// snapshot a second, not 15,000), and each stream writes the same pre-encoded frame; the timer runs only while a
/// stream is open. A new stream gets the latest snapshot at once (a fresh one, with <c>intervalMs</c> 0, when the feed
/// was idle), then every following one.
/// </summary>
internal sealed class LiveFeed(
    ISaleStore store, ServerMetrics metrics, TimeProvider time, IHostApplicationLifetime lifetime) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private int _streams;
    private Task<Published>? _latest;
    private CancellationTokenSource? _stopTimer;

    /// <summary>Streams open now.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>Streams the snapshots until the console goes away or the server stops.</summary>
    public async Task Stream(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.ContentEncoding = "identity";

        // Shutdown does not wait for consoles.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, lifetime.ApplicationStopping);
        var latest = Open();
        try
        {
            var current = await latest.WaitAsync(linked.Token);
            while (true)
            {
                await response.Body.WriteAsync(current.Frame, linked.Token);
                await response.Body.FlushAsync(linked.Token);
                current = await current.Next.Task.WaitAsync(linked.Token);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the console went away, the server stops, or the store could not be read for the first snapshot
        }
        finally
        {
            Close();
        }
    }

    public void Dispose()
    {
        lock (_gate) StopTimer();
    }

    private Task<Published> Open()
    {
        lock (_gate)
        {
            if (_streams++ == 0)
            {
                _stopTimer = new CancellationTokenSource();
                var first = new TaskCompletionSource<Published>(TaskCreationOptions.RunContinuationsAsynchronously);
                _latest = first.Task;
                _ = RunAsync(first, _stopTimer.Token);
            }

            return _latest!;
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            if (--_streams == 0) StopTimer();
        }
    }

    private void StopTimer()
    {
        _stopTimer?.Cancel();
        _stopTimer?.Dispose();
        _stopTimer = null;
    }

    private async Task RunAsync(TaskCompletionSource<Published> first, CancellationToken stop)
    {
        try
        {
            var previous = await Counters.Read(store, metrics);
            var previousAt = Stopwatch.GetTimestamp();
            var latest = new Published(Serialize(previous.Snapshot(store, time, previous, 0)));
            first.TrySetResult(latest);
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = Stopwatch.GetTimestamp();
                Counters current;
                try
                {
                    current = await Counters.Read(store, metrics);
                }
                catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
                {
                    continue; // the store could not be read (Redis down): the next tick tries again
                }

                var seconds = Stopwatch.GetElapsedTime(previousAt, now).TotalSeconds;
                var published = new Published(Serialize(current.Snapshot(store, time, previous, seconds)));
                previous = current;
                previousAt = now;
                lock (_gate) _latest = Task.FromResult(published);
                latest.Next.TrySetResult(published);
                latest = published;
            }
        }
        catch (OperationCanceledException)
        {
            // the last stream closed
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the first read failed (Redis down): these streams end, and a console reconnects
            first.TrySetException(e);
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

        public static async Task<Counters> Read(ISaleStore store, ServerMetrics metrics)
        {
            var counters = new Counters();
            metrics.PurchaseLatency.CopyTo(counters._purchases);
            metrics.FlushLatency.CopyTo(counters._flushes);
            foreach (var sale in store.Sales)
            {
                if (await store.GetStatsAsync(sale.Id) is { } stats) counters._sales[sale.Id] = stats;
            }

            return counters;
        }

        public LiveSnapshot Snapshot(ISaleStore store, TimeProvider time, Counters before, double seconds)
        {
            var sales = new List<LiveSale>(_sales.Count);
            foreach (var sale in store.Sales)
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
                    left += store.Remaining(sale.Id, i);
                }

                sales.Add(new LiveSale(
                    sale.Id, sale.Definition.Name, store.PhaseOf(sale).Word(), stock, left, stats.Attempts, stats.Won,
                    Rate(stats.Won - (earlier?.Won ?? 0), seconds), rates));
            }

            return new LiveSnapshot(
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                (long)Math.Round(seconds * 1000),
                store.IsHealthy,
                store.ShardCount,
                store.QueueDepth,
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
