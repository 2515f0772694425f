namespace FlashSale.Server.Auth;

/// <summary>Why a buyer token was refused; the words are safe to show to whoever sent it.</summary>
public enum TokenRejection : byte
{
    /// <summary>The token is valid.</summary>
    None = 0,

    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    Missing,

    /// <summary>Not three base64url parts of JSON, no <c>alg</c>, or a bad or missing <c>sub</c>/<c>exp</c>.</summary>
    Malformed,

    /// <summary>The header's <c>alg</c> is not <c>HS256</c>.</summary>
    UnsupportedAlgorithm,

    /// <summary>The signature does not match the token secret.</summary>
    BadSignature,

    /// <summary><c>exp</c> is not after the server's clock.</summary>
    Expired,

    /// <summary><c>nbf</c> is after the server's clock.</summary>
    NotYetValid,
}
