using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Server.Api;
using FlashSale.Server.Configuration;
using FlashSale.Server.Metrics;
using Microsoft.Extensions.Options;

namespace FlashSale.Server.Admission;

/// <summary>
/// The anonymous reads' limit: a token bucket per client address (IPv6 by /64), so that a scraper polling the sales
/// cannot take the server's time from buyers. Applied as an endpoint filter before the (cached) read.
/// </summary>
internal sealed class ReadLimiter(ClientAddresses addresses, ServerMetrics metrics, IOptions<FlashSaleOptions> options,
    TimeProvider time)
{
    private readonly TokenBuckets<UInt128> _buckets = new(time);
    private readonly ReadRateOptions _rate = options.Value.Admission.ReadRate;

    /// <summary>The endpoint filter: answers <c>429 rate_limited</c> with <c>Retry-After</c> past the limit.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation,
        EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var limiter = context.RequestServices.GetRequiredService<ReadLimiter>();
        if (limiter.TryAdmit(context, out var retryAfterMs)) return await next(invocation);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfterMs / 1000.0));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteOutcome(context, Outcome.RateLimited);
        return Results.Empty;
    }

    private bool TryAdmit(HttpContext context, out long retryAfterMs)
    {
        retryAfterMs = 0;
        if (_rate.PermitsPerSecond <= 0) return true;
        var address = addresses.Resolve(context);
        var key = new IpRange(address, 128).IsV4 ? address : address & IpRange.Mask(64);
        if (_buckets.TryTake(key, _rate.PermitsPerSecond, _rate.Burst, out retryAfterMs)) return true;
        metrics.CountReadRefusal();
        return false;
    }
}
