using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using FlashSale.Core.Outbox;
using FlashSale.Server.Api;
using FlashSale.Server.Configuration;
using FlashSale.Server.Metrics;

namespace FlashSale.Server.Outbox;

/// <summary>
/// Delivers won reservations to the main store, at least once: reads a batch from the outbox after the saved cursor,
/// POSTs it signed (<see cref="WebhookSignature"/>) until the receiver answers 2xx (exponential backoff with jitter,
/// never giving up), and only then saves the cursor after it. A crash between the POST and the save sends that batch
/// again on restart, with the same reservation ids: the receiver deduplicates on them. Runs only while this process
/// holds the checkpoint's right to deliver (one gateway at a time in cluster mode).
/// </summary>
public sealed class WebhookDelivery : BackgroundService
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly IReservationFeed _feed;
    private readonly IDeliveryCheckpoint _checkpoint;
    private readonly WebhookOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Uri _url;

    /// <summary>Creates the delivery; it owns <paramref name="http"/>.</summary>
    public WebhookDelivery(IReservationFeed feed, IDeliveryCheckpoint checkpoint, WebhookOptions options,
        HttpClient http, TimeProvider time, WebhookMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _feed = feed;
        _checkpoint = checkpoint;
        _options = options;
        _http = http;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _url = new Uri(options.Url!);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await _checkpoint.ReleaseAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease lapses by itself; another gateway takes over then.
            OutboxLog.StoreFailed(_logger, e);
        }

        _metrics.Active(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? cursor = null;
        var holding = false;
        var storeFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await _checkpoint.TryHoldAsync(stoppingToken))
                {
                    if (holding) OutboxLog.LeaseLost(_logger);
                    holding = false;
                    _metrics.Active(false);
                    await Task.Delay(_options.MaxDelay, _time, stoppingToken);
                    continue;
                }

                if (!holding)
                {
                    // Newly the deliverer (or just started): resume where the last one saved.
                    cursor = await _checkpoint.LoadAsync(stoppingToken);
                    holding = true;
                    _metrics.Active(true);
                    OutboxLog.Resuming(_logger, _url.ToString(), cursor ?? "");
                }

                OutboxBatch batch;
                try
                {
                    batch = await _feed.ReadAsync(cursor, _options.BatchSize, stoppingToken);
                }
                catch (OutboxCursorException e)
                {
                    OutboxLog.CursorRefused(_logger, e);
                    cursor = null;
                    continue;
                }

                storeFailures = 0;
                if (batch.Entries.Count == 0)
                {
                    _metrics.Lag(0);
                    await Task.Delay(_options.MaxDelay, _time, stoppingToken);
                    continue;
                }

                _metrics.Lag((_time.GetUtcNow() - batch.Entries[0].Reservation.CreatedAt).TotalSeconds);
                if (!await PostAsync(batch, stoppingToken))
                {
                    holding = false;
                    continue;
                }

                // Not cancelled by a stop: a batch the receiver accepted is recorded, so a clean stop repeats nothing.
                if (!await _checkpoint.SaveAsync(batch.Cursor, CancellationToken.None))
                {
                    // Fenced off: another gateway took over and will send from its own saved cursor.
                    holding = false;
                    continue;
                }

                cursor = batch.Cursor;
                _metrics.Accepted(batch.Entries.Count);
                if (batch.Entries.Count < _options.BatchSize) await Task.Delay(_options.MaxDelay, _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                // The store is unreachable (Redis down) or the data directory failed: try again later.
                OutboxLog.StoreFailed(_logger, e);
                await Task.Delay(Backoff(storeFailures++), _time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// POSTs the batch until the receiver accepts it; false when this process lost the right to deliver meanwhile
    /// (the batch is then left to the next holder).
    /// </summary>
    private async Task<bool> PostAsync(OutboxBatch batch, CancellationToken stoppingToken)
    {
        var reservations = new List<ReservationDto>(batch.Entries.Count);
        foreach (var entry in batch.Entries) reservations.Add(entry.Reservation.ToDto());
        var deliveryId = Guid.NewGuid().ToString("N");
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookBatchDto(deliveryId, batch.Cursor, reservations),
            OutboxJson.Default.WebhookBatchDto);
        for (var attempt = 0; ; attempt++)
        {
            string reason;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _url);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = Json;
                request.Headers.Add(WebhookSignature.Header,
                    WebhookSignature.Sign(_options.Secret!, _time.GetUtcNow().ToUnixTimeSeconds(), body));
                request.Headers.Add("FlashSale-Delivery", deliveryId);
                // A POST under way finishes (or times out) even when the server stops, so that what the receiver
                // accepted is saved before the stop completes, and a clean stop sends nothing twice.
                using var timeout = new CancellationTokenSource(_options.Timeout);
                using var response = await _http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode) return true;
                reason = "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException e)
            {
                reason = e.Message;
            }
            catch (OperationCanceledException)
            {
                reason = "timed out";
            }

            _metrics.Failed();
            var delay = Backoff(attempt);
            OutboxLog.Failed(_logger, batch.Entries.Count, deliveryId, attempt + 1, reason,
                (long)delay.TotalMilliseconds);
            if (!await WaitHoldingAsync(delay, stoppingToken)) return false;
        }
    }

    /// <summary>
    /// Waits <paramref name="delay"/>, renewing the right to deliver at least every second (a lease is a few seconds
    /// long); false when it was lost.
    /// </summary>
    private async Task<bool> WaitHoldingAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        var step = TimeSpan.FromSeconds(1);
        while (delay > TimeSpan.Zero)
        {
            var wait = delay < step ? delay : step;
            await Task.Delay(wait, _time, stoppingToken);
            delay -= wait;
            if (!await _checkpoint.TryHoldAsync(stoppingToken)) return false;
        }

        return true;
    }

    /// <summary>
    /// Exponential backoff with jitter: between half and all of min(MaxBackoff, MinBackoff * 2^attempt).
    /// </summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = _options.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        ceiling = Math.Min(ceiling, _options.MaxBackoff.TotalMilliseconds);
#pragma warning disable CA5394 // jitter spreads retries; it guards nothing
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5)));
#pragma warning restore CA5394
    }
}
