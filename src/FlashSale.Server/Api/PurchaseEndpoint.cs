using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.RateLimiting;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Engine;
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
    /// <summary>Largest purchase body accepted.</summary>
    public const int MaxBodyBytes = 4096;

    private readonly FlashSaleEngine _engine;
    private readonly BuyerAuthenticator _buyers;
    private readonly ServerMetrics _metrics;
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly string _busyRetryAfter;

    public PurchaseEndpoint(FlashSaleEngine engine, BuyerAuthenticator buyers, ServerMetrics metrics, IOptions<FlashSaleOptions> options)
    {
        _engine = engine;
        _buyers = buyers;
        _metrics = metrics;
        var settings = options.Value;
        _busyRetryAfter = settings.BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
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
        if (await Decide(context) is { } outcome) _metrics.Observe(outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    public void Dispose() => _limiter?.Dispose();

    /// <summary>Answers the request; returns the outcome, or null for a request refused before any decision (401, 400, 413).</summary>
    private async Task<Outcome?> Decide(HttpContext context)
    {
        var userId = _buyers.Authenticate(context);
        if (userId is null)
        {
            await Problems.Unauthorized(context, "A valid buyer token is required: Authorization: Bearer <JWT signed with HS256, with sub and exp>.");
            return null;
        }

        var saleId = (string?)context.Request.RouteValues["saleId"] ?? "";
        if (saleId.Length > SaleDefinition.MaxIdLength)
        {
            await Problems.BadRequest(context, "saleId is longer than 128 characters.");
            return null;
        }

        var (itemId, requestId, error, tooLarge) = await ReadBody(context);
        if (error is not null)
        {
            if (tooLarge) await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "Payload too large", error);
            else await Problems.BadRequest(context, error);
            return null;
        }

        if (_limiter is not null)
        {
            using var lease = _limiter.AttemptAcquire(userId);
            if (!lease.IsAcquired)
            {
                var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                _engine.CountOutcome(saleId, Outcome.RateLimited);
                await Problems.WriteOutcome(context, Outcome.RateLimited);
                return Outcome.RateLimited;
            }
        }

        var decision = await _engine.PurchaseAsync(saleId, itemId!, userId, requestId);
        switch (decision.Outcome)
        {
            case Outcome.Won:
                context.Response.StatusCode = StatusCodes.Status201Created;
                await context.Response.WriteAsJsonAsync(new WonDto("won", decision.Reservation!.ToDto()), ServerJson.Default.WonDto);
                break;
            case Outcome.NotStarted:
                var startsAt = _engine.FindSale(saleId)!.Definition.StartsAt;
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

    /// <summary>Reads <c>{"itemId": "...", "requestId": "..."}</c>, at most <see cref="MaxBodyBytes"/>.</summary>
    private static async ValueTask<(string? ItemId, string? RequestId, string? Error, bool TooLarge)> ReadBody(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return (null, null, $"The body may be at most {MaxBodyBytes} bytes.", true);
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, "The body must be JSON (Content-Type: application/json).", false);
        }

        var reader = request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync();
            if (result.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(result.Buffer.End);
                return (null, null, $"The body may be at most {MaxBodyBytes} bytes.", true);
            }

            if (result.IsCompleted) break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        try
        {
            return Parse(result.Buffer);
        }
        finally
        {
            reader.AdvanceTo(result.Buffer.End);
        }
    }

    private static (string? ItemId, string? RequestId, string? Error, bool TooLarge) Parse(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty) return (null, null, "A JSON body {\"itemId\": \"...\"} is required.", false);
        string? itemId = null;
        string? requestId = null;
        try
        {
            var json = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject) return (null, null, "The body must be a JSON object.", false);
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("itemId"u8))
                {
                    json.Read();
                    if (json.TokenType != JsonTokenType.String) return (null, null, "itemId must be a string.", false);
                    itemId = json.GetString();
                }
                else if (json.ValueTextEquals("requestId"u8))
                {
                    json.Read();
                    if (json.TokenType == JsonTokenType.Null) requestId = null;
                    else if (json.TokenType != JsonTokenType.String) return (null, null, "requestId must be a string.", false);
                    else requestId = json.GetString();
                }
                else
                {
                    json.Read();
                    json.Skip();
                }
            }

            if (json.TokenType != JsonTokenType.EndObject || json.Read()) return (null, null, "The body must be one JSON object.", false);
        }
        catch (JsonException e)
        {
            return (null, null, "Malformed JSON: " + e.Message, false);
        }
        catch (InvalidOperationException e)
        {
            return (null, null, "Malformed JSON: " + e.Message, false);
        }

        if (string.IsNullOrEmpty(itemId)) return (null, null, "itemId is required.", false);
        if (itemId.Length > SaleDefinition.MaxIdLength) return (null, null, "itemId is longer than 128 characters.", false);
        if (requestId is not null && requestId.Length is 0 or > 64) return (null, null, "requestId must be 1-64 characters.", false);
        return (itemId, requestId, null, false);
    }
}
