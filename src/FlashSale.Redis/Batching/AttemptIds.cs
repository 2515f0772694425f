using System.Globalization;
using System.Security.Cryptography;

namespace FlashSale.Redis.Batching;

/// <summary>
/// Makes attempt ids <c>&lt;minute&gt;.&lt;gateway&gt;.&lt;n&gt;</c>: a random gateway id (unique across gateways and
/// restarts) and a counter. The minute (from the store's clock) names the hash the script records the decision in, so
/// each minute's records expire together instead of one key (or one TTL) per attempt.
/// </summary>
internal sealed class AttemptIds
{
    private readonly string _gateway = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private long _next;

    public string Gateway => _gateway;

    public string Next(long nowMs)
    {
        var n = Interlocked.Increment(ref _next);
        return string.Create(CultureInfo.InvariantCulture, $"{nowMs / 60_000}.{_gateway}.{n}");
    }
}
