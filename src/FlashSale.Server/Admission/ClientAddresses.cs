using System.Net;
using FlashSale.Server.Configuration;
using Microsoft.Extensions.Options;

namespace FlashSale.Server.Admission;

/// <summary>
/// Finds a request's client address: the direct peer, unless the peer is a configured trusted proxy; then the
/// <c>X-Forwarded-For</c> chain is walked from the right, past trusted proxies, to the first address that is not one
/// (what a proxy appended, not what the client claimed). A header from an untrusted peer is never read, so a client
/// cannot pick its own address.
/// </summary>
internal sealed class ClientAddresses
{
    private const int MaxHops = 16;
    private readonly IpRange[] _trusted;

    public ClientAddresses(IOptions<FlashSaleOptions> options)
    {
        // Validated on start (FlashSaleOptions.Validate): every entry parses.
        var trusted = new List<IpRange>();
        foreach (var proxy in options.Value.Admission.TrustedProxies)
        {
            if (IpRange.TryParse(proxy, out var range)) trusted.Add(range);
        }

        _trusted = [.. trusted];
    }

    /// <summary>The client address as <see cref="IpRange.ToBits"/> gives it (0 when the peer is unknown).</summary>
    public UInt128 Resolve(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null) return UInt128.Zero;
        var address = IpRange.ToBits(peer);
        if (_trusted.Length == 0 || !IsTrusted(address)) return address;

        var headers = context.Request.Headers["X-Forwarded-For"];
        var hops = 0;
        for (var h = headers.Count - 1; h >= 0; h--)
        {
            var header = headers[h].AsSpan();
            while (header.Length > 0)
            {
                var comma = header.LastIndexOf(',');
                var entry = header[(comma + 1)..].Trim();
                header = comma < 0 ? default : header[..comma];
                if (++hops > MaxHops || !TryParse(entry, out var hop)) return address;
                address = hop;
                if (!IsTrusted(address)) return address;
            }
        }

        return address;
    }

    private bool IsTrusted(UInt128 address)
    {
        foreach (var range in _trusted)
        {
            if (range.Contains(address)) return true;
        }

        return false;
    }

    /// <summary>An entry of the chain: an address, maybe with a port (<c>1.2.3.4:80</c>, <c>[::1]:80</c>).</summary>
    private static bool TryParse(ReadOnlySpan<char> entry, out UInt128 address)
    {
        address = UInt128.Zero;
        if (entry.Length is 0 or > 64) return false;
        if (IPAddress.TryParse(entry, out var ip))
        {
            address = IpRange.ToBits(ip);
            return true;
        }

        if (!IPEndPoint.TryParse(entry, out var endPoint)) return false;
        address = IpRange.ToBits(endPoint.Address);
        return true;
    }
}
