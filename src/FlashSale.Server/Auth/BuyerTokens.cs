using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlashSale.Server.Auth;

/// <summary>
/// Buyers' tokens: compact JWS (JWT) signed with HS256 and the shared secret, claims <c>sub</c> (1-128 chars) and
/// <c>exp</c> (required). Validation is on every purchase, so it is a straight-line check on spans: one HMAC, one
/// constant-time compare, one pass of a JSON reader, and no allocation but the user id string.
/// </summary>
public sealed class BuyerTokens
{
    /// <summary>Longest token accepted.</summary>
    public const int MaxTokenLength = 2048;

    private static readonly byte[] StandardHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));
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
    /// Validates a token at <paramref name="nowSeconds"/> (Unix time). Returns the user id, or null when the token is
    /// malformed, wrongly signed, not HS256, expired, or lacks a valid <c>sub</c> or <c>exp</c>.
    /// </summary>
    public string? Validate(ReadOnlySpan<char> token, long nowSeconds)
    {
        if (token.Length is 0 or > MaxTokenLength) return null;
        var firstDot = token.IndexOf('.');
        if (firstDot <= 0) return null;
        var secondDot = token[(firstDot + 1)..].IndexOf('.');
        if (secondDot <= 0) return null;
        secondDot += firstDot + 1;
        if (token[(secondDot + 1)..].Contains('.')) return null;

        Span<byte> ascii = stackalloc byte[MaxTokenLength];
        if (Encoding.ASCII.GetBytes(token, ascii) != token.Length || !Ascii.IsValid(token)) return null;
        var signingInput = ascii[..secondDot];
        Span<byte> expected = stackalloc byte[32];
        var hmac = _hmac.Value!;
        hmac.AppendData(signingInput);
        hmac.GetHashAndReset(expected);
        Span<byte> signature = stackalloc byte[64];
        if (Base64Url.DecodeFromUtf8(ascii[(secondDot + 1)..token.Length], signature, out _, out var signatureLength) != OperationStatus.Done
            || signatureLength != 32
            || !CryptographicOperations.FixedTimeEquals(signature[..32], expected))
        {
            return null;
        }

        var header = ascii[..firstDot];
        if (!header.SequenceEqual(StandardHeader) && !IsHs256Header(header)) return null;

        Span<byte> claims = stackalloc byte[MaxTokenLength];
        if (Base64Url.DecodeFromUtf8(ascii[(firstDot + 1)..secondDot], claims, out _, out var claimsLength) != OperationStatus.Done) return null;
        return ReadClaims(claims[..claimsLength], nowSeconds);
    }

    private static bool IsHs256Header(ReadOnlySpan<byte> encoded)
    {
        Span<byte> json = stackalloc byte[MaxTokenLength];
        if (Base64Url.DecodeFromUtf8(encoded, json, out _, out var length) != OperationStatus.Done) return false;
        try
        {
            var reader = new Utf8JsonReader(json[..length]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            var hs256 = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAlg = reader.ValueTextEquals("alg"u8);
                if (!reader.Read()) return false;
                if (isAlg) hs256 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("HS256"u8);
                else reader.Skip();
            }

            return hs256;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ReadClaims(ReadOnlySpan<byte> json, long nowSeconds)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            string? sub = null;
            long? exp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("sub"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String) return null;
                    sub = reader.GetString();
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number) return null;
                    if (reader.TryGetInt64(out var seconds)) exp = seconds;
                    else if (reader.GetDouble() is var fractional && double.IsFinite(fractional)) exp = (long)fractional;
                    else return null; // 1e400 reads as infinity: not a date, so not a token that never expires
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject) return null;
            if (string.IsNullOrEmpty(sub) || sub.Length > 128 || exp is not { } expires || expires <= nowSeconds) return null;
            return sub;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString of an escaped lone surrogate ("\ud800"): not a user id we could journal faithfully.
            return null;
        }
    }
}
