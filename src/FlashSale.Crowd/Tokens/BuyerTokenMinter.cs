using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FlashSale.Crowd.Tokens;

/// <summary>
/// Mints buyers' tokens as the main store does: compact JWS (JWT) signed with HS256 and <c>FlashSale:TokenSecret</c>,
/// claims <c>sub</c> (the user id) and <c>exp</c> (Unix seconds). The one minter of the code base: the <c>token</c>
/// verb, the demo's printed token, the crowd, the tests and the benchmarks use it; the server only validates.
/// A plain ASCII user id costs one string and no other allocation, so the crowd mints a token per request instead of
/// holding a million of them.
/// </summary>
public sealed class BuyerTokenMinter
{
    /// <summary>Longest user id a token may carry (the server refuses longer <c>sub</c> claims).</summary>
    public const int MaxUserIdLength = 128;

    private const int MaxClaimsBytes = 64 + (MaxUserIdLength * 6);
    private static readonly byte[] Header =
        Encoding.ASCII.GetBytes(Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));
    private static readonly JsonEncodedText Sub = JsonEncodedText.Encode("sub");
    private readonly byte[] _key;

    /// <summary>Uses <paramref name="secret"/> (UTF-8) as the HMAC key.</summary>
    public BuyerTokenMinter(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>A token for <paramref name="userId"/> (1-128 characters) valid until <paramref
    /// name="expires"/>.</summary>
    public string Mint(string userId, DateTimeOffset expires) => Write(userId, expires.ToUnixTimeSeconds(), ""u8);

    /// <summary>The <c>Authorization</c> header value, <c>Bearer {token}</c>, built in one string.</summary>
    public string Bearer(string userId, DateTimeOffset expires) => Write(userId, expires.ToUnixTimeSeconds(),
        "Bearer "u8);

    private string Write(string userId, long expires, ReadOnlySpan<byte> prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (userId.Length > MaxUserIdLength)
        {
            throw new ArgumentException($"user ids are at most {MaxUserIdLength} characters", nameof(userId));
        }

        Span<byte> claims = stackalloc byte[MaxClaimsBytes];
        var n = WriteClaims(claims, userId, expires);

        Span<byte> token = stackalloc byte[prefix.Length + Header.Length + 2 + (MaxClaimsBytes * 4 / 3) + 4 + 44];
        prefix.CopyTo(token);
        var length = prefix.Length;
        Header.CopyTo(token[length..]);
        length += Header.Length;
        token[length++] = (byte)'.';
        Base64Url.EncodeToUtf8(claims[..n], token[length..], out _, out var written);
        length += written;

        Span<byte> signature = stackalloc byte[32];
        HMACSHA256.HashData(_key, token[prefix.Length..length], signature);
        token[length++] = (byte)'.';
        Base64Url.EncodeToUtf8(signature, token[length..], out _, out written);
        length += written;
        return Encoding.ASCII.GetString(token[..length]);
    }

    /// <summary><c>{"sub":"...","exp":N}</c>: plain ASCII ids copied as they are, anything else JSON-escaped.</summary>
    private static int WriteClaims(Span<byte> claims, string userId, long expires)
    {
        if (IsPlain(userId))
        {
            var n = Append(claims, "{\"sub\":\""u8);
            n += Encoding.ASCII.GetBytes(userId, claims[n..]);
            n += Append(claims[n..], "\",\"exp\":"u8);
            n += expires.TryFormat(claims[n..], out var digits, default, CultureInfo.InvariantCulture) ? digits : 0;
            claims[n++] = (byte)'}';
            return n;
        }

        // Unicode, quotes, control characters: rare, so a writer (and its allocation) is fine here.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer,
            new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString(Sub, userId);
            json.WriteNumber("exp", expires);
            json.WriteEndObject();
        }

        if (buffer.Length > claims.Length)
        {
            throw new ArgumentException("the user id does not fit a token",
            nameof(userId));
        }

        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).CopyTo(claims);
        return (int)buffer.Length;
    }

    private static bool IsPlain(string userId)
    {
        foreach (var c in userId)
        {
            if (c is < ' ' or > '~' or '"' or '\\') return false;
        }

        return true;
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}
