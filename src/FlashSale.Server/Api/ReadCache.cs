using System.Collections.Concurrent;
using FlashSale.Server.Configuration;
using Microsoft.Extensions.Options;

namespace FlashSale.Server.Api;

/// <summary>
/// A small cache of the anonymous sale reads' bodies (<c>GET /api/sales</c>, <c>GET /api/sales/{saleId}</c>), kept
/// for <see cref="AdmissionOptions.ReadCacheMilliseconds"/>: however many clients poll, the sales are listed and
/// serialized at most once per period per sale. The API already allows <c>remaining</c> to lag by a moment.
/// </summary>
internal sealed class ReadCache(IOptions<FlashSaleOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (long ExpiresAtMs, byte[] Body)> _bodies =
        new(StringComparer.Ordinal);
    private readonly int _lifetimeMs = options.Value.Admission.ReadCacheMilliseconds;

    /// <summary>The next instant at which <paramref name="sale"/>'s state changes by the clock alone.</summary>
    public static long NextChange(Core.Sales.Sale sale, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(sale);
        if (nowMs < sale.StartsAtMs) return sale.StartsAtMs;
        return nowMs < sale.EndsAtMs ? sale.EndsAtMs : long.MaxValue;
    }

    /// <summary>Forgets every body: an operator changed a sale, or an item sold out or came back.</summary>
    public void Clear() => _bodies.Clear();

    /// <summary>
    /// Writes the cached body under <paramref name="key"/>, or <paramref name="build"/>'s after caching it until the
    /// earlier of the cache period's end and <paramref name="changesAtMs"/> (when the body's sale state would
    /// change by the clock alone: a start or an end).
    /// </summary>
    public async Task Write(HttpContext context, string key, Func<byte[]> build, long changesAtMs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(build);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        byte[]? body;
        if (_lifetimeMs > 0 && _bodies.TryGetValue(key, out var cached) && cached.ExpiresAtMs > now)
        {
            body = cached.Body;
        }
        else
        {
            body = build();
            var expiresAtMs = Math.Min(now + _lifetimeMs, changesAtMs);
            if (_lifetimeMs > 0 && expiresAtMs > now) _bodies[key] = (expiresAtMs, body);
        }

        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
