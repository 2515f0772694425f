using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using FlashSale.Core.Purchases;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;
using FlashSale.Server.Auth;
using FlashSale.Server.Configuration;
using FlashSale.Server.Metrics;
using Microsoft.Extensions.Options;

namespace FlashSale.Server.Api;

/// <summary>
/// <c>POST /api/sales/{saleId}/purchase</c>, the hot path: token, body, admission, then the engine, whose fast
/// path answers unknown items, not-started and sold-out sales without touching a shard's queue.
/// </summary>
internal sealed class PurchaseEndpoint
{
    private readonly ISaleStore _store;
    private readonly BuyerAuthenticator _buyers;
    private readonly ServerMetrics _metrics;
    private readonly AdmissionGate _admission;
    private readonly string _busyRetryAfter;

    public PurchaseEndpoint(ISaleStore store, BuyerAuthenticator buyers, AdmissionGate admission,
        ServerMetrics metrics, IOptions<FlashSaleOptions> options)
    {
        _store = store;
        _buyers = buyers;
        _admission = admission;
        _metrics = metrics;
        _busyRetryAfter = options.Value.BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }

    public async Task Handle(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (await Decide(context) is { } outcome)
        {
            _metrics.Observe(outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

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

        // The admission pipeline (block list, bans, rate limits, hidden path, challenge): one step, one call.
        if (await _admission.AdmitPurchase(context, saleId, userId!) is { } refused) return refused;

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
                context.Response.Headers.RetryAfter = _busyRetryAfter;
                await Problems.WriteOutcome(context, decision.Outcome);
                break;
            default:
                await Problems.WriteOutcome(context, decision.Outcome);
                break;
        }

        return decision.Outcome;
    }

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
