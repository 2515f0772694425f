using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Server.Crowd;

/// <summary>
/// Mints buyers' bearer headers (HS256 JWT, as <see cref="Auth.BuyerTokens"/> does) on the fly, one string per request
/// and no other allocation: a million stored tokens would take hundreds of megabytes, minting one costs a microsecond.
/// </summary>
internal sealed class CrowdTokens
{
    private static readonly byte[] Header = Encoding.ASCII.GetBytes(Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));
    private readonly byte[] _key;
    private readonly byte[] _expires;

    public CrowdTokens(string secret, DateTimeOffset expires)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        _expires = Encoding.ASCII.GetBytes(expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>Bearer {jwt}</c> for <paramref name="userId"/>, which must be plain ASCII without quotes or backslashes.</summary>
    public string Bearer(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (userId.Length > 128) throw new ArgumentException("user ids are at most 128 characters", nameof(userId));

        Span<byte> claims = stackalloc byte[256];
        var n = 0;
        n += Append(claims[n..], "{\"sub\":\""u8);
        n += Encoding.ASCII.GetBytes(userId, claims[n..]);
        n += Append(claims[n..], "\",\"exp\":"u8);
        n += Append(claims[n..], _expires);
        claims[n++] = (byte)'}';

        Span<byte> token = stackalloc byte[7 + 512];
        var length = Append(token, "Bearer "u8);
        length += Append(token[length..], Header);
        token[length++] = (byte)'.';
        Base64Url.EncodeToUtf8(claims[..n], token[length..], out _, out var written);
        length += written;

        Span<byte> signature = stackalloc byte[32];
        HMACSHA256.HashData(_key, token[7..length], signature);
        token[length++] = (byte)'.';
        Base64Url.EncodeToUtf8(signature, token[length..], out _, out written);
        length += written;
        return Encoding.ASCII.GetString(token[..length]);
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}
