using Prometheus;

namespace FlashSale.Server.Metrics;

/// <summary>The webhook delivery's metrics, in the server's registry.</summary>
public sealed class WebhookMetrics
{
    private readonly Counter _delivered;
    private readonly Counter _batches;
    private readonly Counter _failures;
    private readonly Gauge _lag;
    private readonly Gauge _active;

    /// <summary>Creates the metrics in <paramref name="metrics"/>' registry.</summary>
    public WebhookMetrics(ServerMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        _delivered = factory.CreateCounter("flashsale_webhook_delivered_total",
            "Won reservations the webhook receiver accepted (a retry after a crash may count one again).");
        _batches = factory.CreateCounter("flashsale_webhook_batches_total", "Batches the webhook receiver accepted.");
        _failures = factory.CreateCounter("flashsale_webhook_failures_total",
            "Webhook POSTs that failed (error status, timeout, connection refused); each is retried.");
        _lag = factory.CreateGauge("flashsale_webhook_lag_seconds",
            "Age of the oldest won reservation not yet delivered (0 when caught up).");
        _active = factory.CreateGauge("flashsale_webhook_active",
            "1 while this process holds the right to deliver (cluster mode: one gateway at a time).");
    }

    /// <summary>Reservations delivered by this process since it started.</summary>
    public long Delivered => (long)_delivered.Value;

    /// <summary>Failed POSTs since this process started.</summary>
    public long Failures => (long)_failures.Value;

    internal void Accepted(int reservations)
    {
        _delivered.Inc(reservations);
        _batches.Inc();
    }

    internal void Failed() => _failures.Inc();

    internal void Lag(double seconds) => _lag.Set(Math.Max(0, seconds));

    internal void Active(bool active) => _active.Set(active ? 1 : 0);
}
