using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FlashSale.Core.Stores;
using FlashSale.Server.Api;
using FlashSale.Server.Metrics;

namespace FlashSale.Server.Pages;

/// <summary>
/// <c>GET /admin/live</c>: Server-Sent Events, one <see cref="LiveSnapshot"/> a second, for the operator console's
/// charts. Each stream keeps its own previous counters and diffs them, so streams do not disturb one another and
/// nothing runs while nobody watches.
/// </summary>
internal static class LiveFeed
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static IResult Stream(
        ISaleStore store,
        ServerMetrics metrics,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        HttpContext context) =>
        TypedResults.ServerSentEvents(
            Snapshots(store, metrics, time, context.RequestAborted, lifetime.ApplicationStopping), "snapshot");

    private static async IAsyncEnumerable<string> Snapshots(
        ISaleStore store,
        ServerMetrics metrics,
        TimeProvider time,
        CancellationToken aborted,
        CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken enumeration = default)
    {
        // The stream ends when the console goes away or the server stops (shutdown does not wait for consoles).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, enumeration);
        var cancel = linked.Token;
        var previous = await Counters.Read(store, metrics);
        var previousAt = Stopwatch.GetTimestamp();
        var first = previous.Snapshot(store, time, previous, 0);
        yield return JsonSerializer.Serialize(first, PagesJson.Default.LiveSnapshot);
        using var timer = new PeriodicTimer(Interval, time);
        while (true)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(cancel)) yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            var now = Stopwatch.GetTimestamp();
            var current = await Counters.Read(store, metrics);
            var seconds = Stopwatch.GetElapsedTime(previousAt, now).TotalSeconds;
            var snapshot = current.Snapshot(store, time, previous, seconds);
            previous = current;
            previousAt = now;
            yield return JsonSerializer.Serialize(snapshot, PagesJson.Default.LiveSnapshot);
        }
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
