using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Threading.RateLimiting;
using FlashSale.Core.Purchases;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;
using FlashSale.Server.Auth;
using FlashSale.Server.Configuration;
using FlashSale.Server.Metrics;
using Microsoft.Extensions.Options;

namespace FlashSale.Server.Api;

/// <summary>
/// <c>POST /api/sales/{saleId}/purchase</c>, the hot path: token, body, rate limit, then the engine, whose fast
/// path answers unknown items, not-started and sold-out sales without touching a shard's queue.
/// </summary>
internal sealed class PurchaseEndpoint : IDisposable
{
    private readonly ISaleStore _store;
    private readonly WaitingRooms _waitingRooms;
    private readonly BuyerAuthenticator _buyers;
    private readonly ServerMetrics _metrics;
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly string[] _busyRetryAfter;
    private readonly OverloadGate _gate;

    public PurchaseEndpoint(ISaleStore store, BuyerAuthenticator buyers, ServerMetrics metrics,
        WaitingRooms waitingRooms, IOptions<FlashSaleOptions> options)
    {
        _store = store;
        _waitingRooms = waitingRooms;
        _buyers = buyers;
        _metrics = metrics;
        var settings = options.Value;
        _gate = new OverloadGate(settings.MaxPurchasesInFlight);

        // Retry-After from the setting to twice it, at random: retries told to come back spread out instead of
        // returning as one wave.
        _busyRetryAfter = [.. Enumerable.Range(settings.BusyRetryAfterSeconds, settings.BusyRetryAfterSeconds + 1)
            .Select(seconds => seconds.ToString(CultureInfo.InvariantCulture))];
        if (settings.RateLimit.Enabled)
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.RateLimit.Burst,
                TokensPerPeriod = settings.RateLimit.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,

                // The partitioned limiter's own timer replenishes every bucket; a timer per buyer would not scale.
                AutoReplenishment = false,
            };
            Func<string, RateLimiter> create = _ => new TokenBucketRateLimiter(bucket);
            _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.Get(user, create));
        }
    }

    public async Task Handle(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (!_gate.TryEnter())
        {
            await Shed(context);
            _metrics.Observe(Outcome.Busy, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return;
        }

        try
        {
            if (await Decide(context) is { } outcome)
            {
                _metrics.Observe(outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Purchases being handled now (the overload gate's count).</summary>
    public int InFlight => _gate.InFlight;

    public void Dispose() => _limiter?.Dispose();

    /// <summary>
    /// Answers the request; returns the outcome, or null for a request refused before any decision (401, 400, 413).
    /// </summary>
    private async Task<Outcome?> Decide(HttpContext context)
    {
        var rejection = Preamble.Buyer(context, _buyers, out var userId);
        var saleId = "";
        var body = default(PurchaseBody);
        if (rejection == Rejection.None) rejection = Preamble.SaleId(context, out saleId);
        if (rejection == Rejection.None) (rejection, body) = await ReadBody(context);
        if (rejection != Rejection.None)
        {
            await Rejections.Write(context, rejection);
            return null;
        }

        if (_limiter is not null)
        {
            using var lease = _limiter.AttemptAcquire(userId!);
            if (!lease.IsAcquired)
            {
                var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    : 1;
                context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                _store.CountOutcome(saleId, Outcome.RateLimited);
                await Problems.WriteOutcome(context, Outcome.RateLimited);
                return Outcome.RateLimited;
            }
        }

        // The sale's waiting room: on with a grant or when the buyer's turn has come, else 202 with its place.
        if (!await _waitingRooms.PassAsync(context, _store, saleId, body.ItemId, userId!)) return null;

        var decision = await _store.PurchaseAsync(saleId, body.ItemId, userId!, body.RequestId);
        switch (decision.Outcome)
        {
            case Outcome.Won:
                context.Response.StatusCode = StatusCodes.Status201Created;
                await context.Response.WriteAsJsonAsync(new WonDto("won", decision.Reservation!.ToDto()),
                    ServerJson.Default.WonDto);
                break;
            case Outcome.NotStarted:
                var startsAt = _store.FindSale(saleId)!.Definition.StartsAt;
                await Problems.Write(context, 425, "Not started", "The sale has not started yet.", writer =>
                {
                    writer.WriteString("outcome", "not_started");
                    writer.WriteString("startsAt", startsAt);
                });
                break;
            case Outcome.Busy:
                context.Response.Headers.RetryAfter = BusyRetryAfter();

                // A store that cannot write (a failed journal, Redis down) answers busy too: say so.
                if (_store.IsHealthy) await Problems.WriteOutcome(context, decision.Outcome);
                else await Problems.WriteStoreCannotWrite(context);
                break;
            default:
                await Problems.WriteOutcome(context, decision.Outcome);
                break;
        }

        return decision.Outcome;
    }

    /// <summary>Over the gate's limit: <c>503 busy</c> before the token, the body or the sale are looked at.</summary>
    private Task Shed(HttpContext context)
    {
        context.Response.Headers.RetryAfter = BusyRetryAfter();
        if (context.Request.RouteValues["saleId"] is string saleId) _store.CountOutcome(saleId, Outcome.Busy);
        return Problems.WriteOutcome(context, Outcome.Busy);
    }

    private string BusyRetryAfter() => _busyRetryAfter[Random.Shared.Next(_busyRetryAfter.Length)];

    /// <summary>Reads and parses the body, at most <see cref="EdgeLimits.MaxPurchaseBodyBytes"/>.</summary>
    private static async ValueTask<(Rejection Rejection, PurchaseBody Body)> ReadBody(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > EdgeLimits.MaxPurchaseBodyBytes) return (Rejection.BodyTooLarge, default);
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (Rejection.NotJson, default);
        }

        var reader = request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync();
            if (result.Buffer.Length > EdgeLimits.MaxPurchaseBodyBytes)
            {
                reader.AdvanceTo(result.Buffer.End);
                return (Rejection.BodyTooLarge, default);
            }

            if (result.IsCompleted) break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        try
        {
            var rejection = PurchaseBody.TryParse(result.Buffer, out var body);
            return (rejection, body);
        }
        finally
        {
            reader.AdvanceTo(result.Buffer.End);
        }
    }
}
