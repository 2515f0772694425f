namespace FlashSale.Server.Auth;

/// <summary>Reads and validates the buyer's bearer token of a request.</summary>
public sealed class BuyerAuthenticator
{
    private readonly BuyerTokens _tokens;
    private readonly TimeProvider _time;
    private readonly TokenRejectionLog _log;

    /// <summary>
    /// Validates with <paramref name="tokens"/> at <paramref name="time"/>'s clock; logs refusals to
    /// <paramref name="logger"/>.
    /// </summary>
    public BuyerAuthenticator(BuyerTokens tokens, TimeProvider time, ILogger<BuyerAuthenticator> logger)
    {
        _tokens = tokens;
        _time = time;
        _log = new TokenRejectionLog(logger, time);
    }

    /// <summary>Sets <paramref name="userId"/> to the buyer's user id, or returns why there is none.</summary>
    public TokenRejection Authenticate(HttpContext context, out string? userId)
    {
        ArgumentNullException.ThrowIfNull(context);
        userId = null;
        var header = context.Request.Headers.Authorization;
        var result = TokenRejection.Missing;

        // The scheme is case-insensitive (RFC 9110, 11.1): some clients send "bearer".
        if (header.Count == 1
            && header[0].AsSpan() is var value
            && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && value[7..].Trim() is { IsEmpty: false } token)
        {
            result = _tokens.Validate(token, _time.GetUtcNow().ToUnixTimeSeconds(), out userId);
        }

        if (result != TokenRejection.None) _log.Refused(result);
        return result;
    }
}
