using System.Globalization;
using System.Security.Cryptography;

namespace FlashSale.Redis.Batching;

/// <summary>
/// Makes batch ids <c>&lt;gateway&gt;.&lt;n&gt;</c>: a random gateway id (unique across gateways and restarts) and a
/// counter. An attempt's id is its batch's id and its place in the batch: a batch is only ever resent whole, so the
/// script records one reply per batch (one key, one write) rather than one record per attempt.
/// </summary>
internal sealed class BatchIds
{
    private readonly string _gateway = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private long _next;

    public string Gateway => _gateway;

    public string Next() => string.Create(CultureInfo.InvariantCulture,
        $"{_gateway}.{Interlocked.Increment(ref _next)}");
}
