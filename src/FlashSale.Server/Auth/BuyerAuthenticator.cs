namespace FlashSale.Server.Auth;

/// <summary>Reads and validates the buyer's bearer token of a request.</summary>
public sealed class BuyerAuthenticator(BuyerTokens tokens, TimeProvider time)
{
    /// <summary>The buyer's user id, or null when the token is missing or invalid.</summary>
    public string? Authenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization;
        if (header.Count != 1) return null;
        var value = header[0].AsSpan();
        // The scheme is case-insensitive (RFC 9110, 11.1): some clients send "bearer".
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        return tokens.Validate(value[7..].Trim(), time.GetUtcNow().ToUnixTimeSeconds());
    }
}
