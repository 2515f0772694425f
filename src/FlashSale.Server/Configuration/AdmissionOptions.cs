using FlashSale.Server.Admission;

namespace FlashSale.Server.Configuration;

/// <summary>The edge's admission settings that are not per sale (<c>FlashSale:Admission</c>).</summary>
public sealed class AdmissionOptions
{
    /// <summary>
    /// Addresses or CIDR ranges of the reverse proxies in front of the server. Only a request whose direct peer is
    /// one of them has its client address taken from <c>X-Forwarded-For</c>; any other peer's header is ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Per-address token bucket of the anonymous reads (<c>/api/sales</c>, <c>/api/time</c>).</summary>
    public ReadRateOptions ReadRate { get; set; } = new();

    /// <summary>How long the anonymous sale reads are cached, in milliseconds (0: not cached).</summary>
    public int ReadCacheMilliseconds { get; set; } = 1000;

    /// <summary>Returns every problem with these options (empty when valid).</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        foreach (var proxy in TrustedProxies)
        {
            if (!IpRange.TryParse(proxy, out _))
            {
                problems.Add($"FlashSale:Admission:TrustedProxies: '{proxy}' is not an address or a CIDR range");
            }
        }

        if (ReadRate.PermitsPerSecond < 0 || ReadRate.Burst < 0)
        {
            problems.Add("FlashSale:Admission:ReadRate: PermitsPerSecond and Burst must not be negative");
        }
        else if (ReadRate.PermitsPerSecond > 0 && ReadRate.Burst < 1)
        {
            problems.Add("FlashSale:Admission:ReadRate:Burst must be at least 1");
        }

        if (ReadCacheMilliseconds is < 0 or > 60_000)
        {
            problems.Add("FlashSale:Admission:ReadCacheMilliseconds must be 0-60000");
        }

        return problems;
    }
}
