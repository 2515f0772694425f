using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlashSale.Server.Auth;

/// <summary>
/// Buyers' tokens: compact JWS (JWT) signed with HS256 and the shared secret, claims <c>sub</c> (1-128 chars),
/// <c>exp</c> (required) and <c>nbf</c> (optional). Validation is on every purchase, so it is a straight-line check
/// on spans: one HMAC, one constant-time compare, one pass of a JSON reader, and no allocation but the user id.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Lives for the process; per-thread HMACs go with their threads")]
public sealed class BuyerTokens
{
    /// <summary>Longest token accepted.</summary>
    public const int MaxTokenLength = 2048;

    private static readonly byte[] StandardHeader =
        Encoding.ASCII.GetBytes(Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));
    private readonly byte[] _key;

    // One keyed HMAC per thread, reset after each use: the one-shot HMACSHA256.HashData sets up a new MAC context
    // (algorithm fetch, key schedule) on every call, which was most of the cost of a validation.
    private readonly ThreadLocal<IncrementalHash> _hmac;

    /// <summary>Uses <paramref name="secret"/> (UTF-8) as the HMAC key.</summary>
    public BuyerTokens(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    /// <summary>
    /// Validates a token at <paramref name="nowSeconds"/> (Unix time). On <see cref="TokenRejection.None"/>,
    /// <paramref name="userId"/> is the token's <c>sub</c>; otherwise it is null and the result says why: malformed,
    /// not HS256, a bad signature, expired (<c>exp</c> not after now), or not yet valid (<c>nbf</c> after now). Neither
    /// time has leeway. The algorithm is read before the signature is checked (it is not a secret), the times only
    /// after it (an unsigned token's claims say nothing).
    /// </summary>
    public TokenRejection Validate(ReadOnlySpan<char> token, long nowSeconds, out string? userId)
    {
        userId = null;
        if (token.Length is 0 or > MaxTokenLength) return TokenRejection.Malformed;
        var firstDot = token.IndexOf('.');
        if (firstDot <= 0) return TokenRejection.Malformed;
        var secondDot = token[(firstDot + 1)..].IndexOf('.');
        if (secondDot <= 0) return TokenRejection.Malformed;
        secondDot += firstDot + 1;
        if (token[(secondDot + 1)..].Contains('.')) return TokenRejection.Malformed;

        Span<byte> ascii = stackalloc byte[MaxTokenLength];
        if (!Ascii.IsValid(token) || Encoding.ASCII.GetBytes(token, ascii) != token.Length)
        {
            return TokenRejection.Malformed;
        }

        var header = ascii[..firstDot];
        if (!header.SequenceEqual(StandardHeader)
            && ReadHeader(header) is var headerRejection
            && headerRejection != TokenRejection.None)
        {
            return headerRejection;
        }

        var signingInput = ascii[..secondDot];
        Span<byte> expected = stackalloc byte[32];
        var hmac = _hmac.Value!;
        hmac.AppendData(signingInput);
        hmac.GetHashAndReset(expected);
        Span<byte> signature = stackalloc byte[64];
        var encodedSignature = ascii[(secondDot + 1)..token.Length];
        var decoded = Base64Url.DecodeFromUtf8(encodedSignature, signature, out _, out var signatureLength);

        // Longer than 64 bytes is longer than any HS256 MAC: a signature, just not ours.
        if (decoded == OperationStatus.DestinationTooSmall) return TokenRejection.BadSignature;
        if (decoded != OperationStatus.Done) return TokenRejection.Malformed;
        if (signatureLength != 32 || !CryptographicOperations.FixedTimeEquals(signature[..32], expected))
        {
            return TokenRejection.BadSignature;
        }

        Span<byte> claims = stackalloc byte[MaxTokenLength];
        var encodedClaims = ascii[(firstDot + 1)..secondDot];
        if (Base64Url.DecodeFromUtf8(encodedClaims, claims, out _, out var claimsLength) != OperationStatus.Done)
        {
            return TokenRejection.Malformed;
        }

        return ReadClaims(claims[..claimsLength], nowSeconds, out userId);
    }

    /// <summary>A header other than the usual bytes: a JSON object whose <c>alg</c> must be <c>HS256</c>.</summary>
    private static TokenRejection ReadHeader(ReadOnlySpan<byte> encoded)
    {
        Span<byte> json = stackalloc byte[MaxTokenLength];
        if (Base64Url.DecodeFromUtf8(encoded, json, out _, out var length) != OperationStatus.Done)
        {
            return TokenRejection.Malformed;
        }

        try
        {
            var reader = new Utf8JsonReader(json[..length]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return TokenRejection.Malformed;
            bool? hs256 = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAlg = reader.ValueTextEquals("alg"u8);
                if (!reader.Read()) return TokenRejection.Malformed;
                if (isAlg) hs256 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("HS256"u8);
                else reader.Skip();
            }

            // No alg at all is a broken header (RFC 7515 requires one); another alg is one this server does not take.
            if (reader.TokenType != JsonTokenType.EndObject || hs256 is null) return TokenRejection.Malformed;
            return hs256.Value ? TokenRejection.None : TokenRejection.UnsupportedAlgorithm;
        }
        catch (JsonException)
        {
            return TokenRejection.Malformed;
        }
    }

    private static TokenRejection ReadClaims(ReadOnlySpan<byte> json, long nowSeconds, out string? userId)
    {
        userId = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return TokenRejection.Malformed;
            string? sub = null;
            long? exp = null;
            long? nbf = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("sub"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String) return TokenRejection.Malformed;
                    sub = reader.GetString();
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    if (!reader.Read() || ReadSeconds(ref reader) is not { } seconds) return TokenRejection.Malformed;
                    exp = seconds;
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    if (!reader.Read() || ReadSeconds(ref reader) is not { } seconds) return TokenRejection.Malformed;
                    nbf = seconds;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject) return TokenRejection.Malformed;
            if (string.IsNullOrEmpty(sub) || sub.Length > Api.EdgeLimits.MaxIdLength || exp is not { } expires)
            {
                return TokenRejection.Malformed;
            }

            if (expires <= nowSeconds) return TokenRejection.Expired;
            if (nbf is { } notBefore && notBefore > nowSeconds) return TokenRejection.NotYetValid;
            userId = sub;
            return TokenRejection.None;
        }
        catch (JsonException)
        {
            return TokenRejection.Malformed;
        }
        catch (FormatException)
        {
            return TokenRejection.Malformed;
        }
        catch (InvalidOperationException)
        {
            // GetString of an escaped lone surrogate ("\ud800"): not a user id we could journal faithfully.
            return TokenRejection.Malformed;
        }
    }

    /// <summary>A NumericDate (RFC 7519): Unix seconds, a fraction cut; null when not a finite number.</summary>
    private static long? ReadSeconds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number) return null;
        if (reader.TryGetInt64(out var seconds)) return seconds;

        // 1e400 reads as infinity: not a date, so not a token that never expires.
        var fractional = reader.GetDouble();
        var inRange = double.IsFinite(fractional) && fractional is > long.MinValue and < long.MaxValue;
        return inRange ? (long)fractional : null;
    }
}
