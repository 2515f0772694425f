using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Server.Outbox;

/// <summary>
/// The signature of a webhook POST: header <c>FlashSale-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where
/// the hex is HMAC-SHA256, keyed with <c>FlashSale:Webhook:Secret</c>, over the bytes of <c>&lt;t&gt;.</c> followed by
/// the body exactly as sent. The timestamp is signed so that a captured request cannot be replayed later.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header's name.</summary>
    public const string Header = "FlashSale-Signature";

    /// <summary>The header of <paramref name="body"/> signed at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var time = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"t={time},v1={Convert.ToHexStringLower(Mac(secret, time, body))}";
    }

    /// <summary>
    /// True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> and its time is
    /// within <paramref name="tolerance"/> of <paramref name="now"/> (what a receiver checks; constant-time compare).
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now,
        TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (header is null) return false;
        string? time = null;
        string? signature = null;
        foreach (var part in header.Split(','))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)) time = part[2..];
            else if (part.StartsWith("v1=", StringComparison.Ordinal)) signature = part[3..];
        }

        if (time is null || signature is null || signature.Length != 64
            || !long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, time, body));
    }

    private static byte[] Mac(string secret, string time, ReadOnlySpan<byte> body)
    {
        var signed = new byte[time.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(time, signed);
        signed[time.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(time.Length + 1));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
