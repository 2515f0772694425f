using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Stores;
using Prometheus;

namespace FlashSale.Server.Metrics;

/// <summary>
/// The Prometheus metrics of one server: purchase attempts by outcome, purchase latency, the store's queue depth,
/// write latency (journal fsync, or Redis batch call) and health, reservations by status. One registry per server,
/// so several servers in one process (tests, rehearsal) do not mix their counts.
/// </summary>
public sealed class ServerMetrics
{
    private readonly Counter.Child[] _attempts = new Counter.Child[OutcomeWords.TableSize];
    private readonly Histogram _latency;
    private readonly Counter.Child[] _refusals = new Counter.Child[OutcomeWords.TableSize];
    private readonly Counter _readRefusals;

    /// <summary>Creates the metrics and hooks them to <paramref name="store"/>.</summary>
    public ServerMetrics(ISaleStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var attempts = factory.CreateCounter("flashsale_purchase_attempts_total",
            "Purchase attempts answered, by outcome.", "outcome");
        Outcome[] counted =
        [
            .. OutcomeWords.Decisions, Outcome.RequestIdReused, Outcome.RateLimited, Outcome.Busy,
            Outcome.UnknownSale, Outcome.UnknownItem, .. OutcomeWords.AdmissionRefusals,
        ];
        foreach (var outcome in counted)
        {
            _attempts[(int)outcome] = attempts.WithLabels(outcome.ToWord());
        }

        var refusals = factory.CreateCounter("flashsale_admission_refusals_total",
            "Requests the admission pipeline refused (purchases, path and challenge fetches), by outcome.", "outcome");
        foreach (var outcome in (Outcome[])[Outcome.RateLimited, .. OutcomeWords.AdmissionRefusals])
        {
            _refusals[(int)outcome] = refusals.WithLabels(outcome.ToWord());
        }

        _readRefusals = factory.CreateCounter("flashsale_read_refusals_total",
            "Anonymous reads refused rate_limited by the per-address limit.");
        _latency = factory.CreateHistogram(
            "flashsale_purchase_duration_seconds",
            "Time from a purchase request's arrival to its answer.",
            new HistogramConfiguration
            {
                Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16),
            });
        var flush = factory.CreateHistogram(
            "flashsale_journal_flush_duration_seconds",
            "Time of one durable write: a journal fsync (one group commit), or a batch's Redis script call.",
            new HistogramConfiguration
            {
                Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16),
            });
        store.WriteObserved = seconds =>
        {
            flush.Observe(seconds);
            FlushLatency.Record(seconds);
        };
        var depth = factory.CreateGauge("flashsale_engine_queue_depth",
            "Purchase attempts waiting in the shards' queues.");
        var up = factory.CreateGauge("flashsale_store_up",
            "1 while the store can decide (embedded: no shard failed; redis: Redis reachable), else 0.", "store")
            .WithLabels(store.Kind);
        var reservations = factory.CreateGauge("flashsale_reservations", "Reservations by status.", "status");
        var soldOut = factory.CreateCounter("flashsale_item_availability_changes_total",
            "Items that sold out or came back on sale.", "change");

        store.AvailabilityChanged += change => soldOut.WithLabels(change.SoldOut ? "sold_out" : "back_on_sale").Inc();
        Registry.AddBeforeCollectCallback(async cancel =>
        {
            depth.Set(store.QueueDepth);
            up.Set(store.IsHealthy ? 1 : 0);
            if (!store.IsHealthy) return;
            IReadOnlyDictionary<ReservationStatus, long> counts;
            try
            {
                counts = await store.CountReservationsAsync().WaitAsync(cancel);
            }
            catch (Exception e) when (Api.StatusPages.IsStoreUnavailable(e))
            {
                // The store went away between the health check and the read; the last counts stay.
                return;
            }

            foreach (var (status, count) in counts) reservations.WithLabels(Api.Mapping.Word(status)).Set(count);
        });
    }

    /// <summary>Purchase latency for the operator console's live p50/p99 (cumulative; readers diff copies).</summary>
    public LatencyHistogram PurchaseLatency { get; } = new();

    /// <summary>Journal fsync latency, likewise.</summary>
    public LatencyHistogram FlushLatency { get; } = new();

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts one refusal of the admission pipeline.</summary>
    public void CountRefusal(Outcome outcome) => _refusals[(int)outcome]?.Inc();

    /// <summary>Counts one anonymous read refused by the per-address limit.</summary>
    public void CountReadRefusal() => _readRefusals.Inc();

    /// <summary>Counts one answered purchase and its latency.</summary>
    public void Observe(Outcome outcome, double seconds)
    {
        _attempts[(int)outcome]?.Inc();
        _latency.Observe(seconds);
        PurchaseLatency.Record(seconds);
    }
}
