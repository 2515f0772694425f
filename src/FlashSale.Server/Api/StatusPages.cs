using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace FlashSale.Server.Api;

/// <summary>
/// Problem bodies for the answers the framework gives without one: 404 for a path no endpoint has, 405 (with
/// <c>Allow</c>, set by routing) for a path that exists with other methods.
/// </summary>
internal static class StatusPages
{
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
