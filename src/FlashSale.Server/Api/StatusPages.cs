using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Server.Configuration;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FlashSale.Server.Api;

/// <summary>
/// Problem bodies for the answers the framework gives without one: 404 for a path no endpoint has, 405 (with
/// <c>Allow</c>, set by routing) for a path that exists with other methods, and what a request body that breaks
/// Kestrel's rules throws while it is read (413 over the size limit, 400 for a broken chunked body, ...).
/// </summary>
internal static class StatusPages
{
    /// <summary>
    /// For <c>UseExceptionHandler</c>: a client's fault keeps its 4xx; a store that cannot be reached (cluster mode,
    /// Redis down) is <c>503 busy</c> with <c>Retry-After</c>, as a purchase answers then; anything else is a plain
    /// 500.
    /// </summary>
    public static Task WriteException(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            return Problems.Write(context, bad.StatusCode, ReasonPhrases.GetReasonPhrase(bad.StatusCode), bad.Message);
        }

        if (IsStoreUnavailable(error))
        {
            var retryAfter = context.RequestServices.GetRequiredService<IOptions<FlashSaleOptions>>().Value
                .BusyRetryAfterSeconds;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Problems.WriteOutcome(context, Outcome.Busy);
        }

        return Problems.Write(
            context,
            StatusCodes.Status500InternalServerError,
            "Internal server error",
            "The server failed; the error is in its log.");
    }

    /// <summary>True for the failures of a store that cannot be reached now (Redis down, a timeout).</summary>
    public static bool IsStoreUnavailable(Exception? error) => error is RedisException or TimeoutException;

    /// <summary>For <c>UseStatusCodePages</c>.</summary>
    public static Task Write(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        var detail = code switch
        {
            StatusCodes.Status404NotFound => "No such resource.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{context.Request.Method} is not allowed here; the Allow header lists the methods that are.",
            _ => ReasonPhrases.GetReasonPhrase(code) + ".",
        };
        return Problems.Write(context, code, ReasonPhrases.GetReasonPhrase(code), detail);
    }
}
