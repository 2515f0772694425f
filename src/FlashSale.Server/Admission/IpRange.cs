using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlashSale.Server.Admission;

/// <summary>
/// A CIDR range of addresses, IPv4 or IPv6, held as 128 bits: an IPv4 address is its IPv4-mapped IPv6 form
/// (<c>::ffff:a.b.c.d</c>), so that one comparison serves both families and a client that reaches a dual-stack socket
/// as <c>::ffff:10.0.0.1</c> matches <c>10.0.0.0/8</c>.
/// </summary>
/// <param name="Network">The range's first address, host bits zero.</param>
/// <param name="PrefixLength">Leading bits that must match, 0-128 (an IPv4 /n is 96 + n).</param>
public readonly record struct IpRange(UInt128 Network, int PrefixLength)
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    /// <summary>True for a range of IPv4 addresses.</summary>
    public bool IsV4 => PrefixLength >= 96 && (Network >> 32) == 0xFFFF;

    /// <summary>
    /// Parses an address (<c>10.0.0.1</c>, <c>2001:db8::1</c>) or a range (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>).
    /// Host bits set in a range are cleared (<c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>).
    /// </summary>
    public static bool TryParse(string? text, out IpRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64) return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        // An IPv4-mapped IPv6 text (::ffff:10.0.0.0/104) counts its prefix in IPv6 bits; the bits are the same.
        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;

        // A zone (fe80::1%eth0) names a local interface, not a range anyone else can mean.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) return false;
        var bits = ToBits(address);
        var max = isV4 ? 32 : 128;
        var prefix = max;
        if (slash >= 0)
        {
            var prefixText = text.AsSpan(slash + 1);
            if (prefixText.Length is 0 or > 3
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > max)
            {
                return false;
            }
        }

        if (isV4) prefix += 96;
        range = new IpRange(bits & Mask(prefix), prefix);
        return true;
    }

    /// <summary>The 128 bits of an address (IPv4 as IPv4-mapped IPv6).</summary>
    public static UInt128 ToBits(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            address.TryWriteBytes(v4, out _);
            return MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(v4);
        }

        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>The mask of the first <paramref name="prefixLength"/> bits.</summary>
    public static UInt128 Mask(int prefixLength) =>
        prefixLength <= 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);

    /// <summary>True when <paramref name="address"/> (as <see cref="ToBits"/> gives it) is in this range.</summary>
    public bool Contains(UInt128 address) => (address & Mask(PrefixLength)) == Network;

    /// <summary>The canonical form: <c>10.0.0.0/8</c>, <c>2001:db8::/32</c>.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Network);
        if (IsV4)
        {
            return new IPAddress(bytes[12..]).ToString() + "/"
                + (PrefixLength - 96).ToString(CultureInfo.InvariantCulture);
        }

        return new IPAddress(bytes).ToString() + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
    }
}
