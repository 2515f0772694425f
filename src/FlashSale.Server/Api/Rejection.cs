namespace FlashSale.Server.Api;

/// <summary>
/// Why the edge refused a request before any decision, as Kestrel's <c>RequestRejectionReason</c> does for HTTP:
/// parsing and checks produce one of these, and <see cref="Rejections"/> alone turns it into a status and a message.
/// </summary>
internal enum Rejection : byte
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The purchase body is over <see cref="EdgeLimits.MaxPurchaseBodyBytes"/>.</summary>
    BodyTooLarge,

    /// <summary>A <c>Content-Type</c> other than JSON.</summary>
    NotJson,

    /// <summary>No body at all.</summary>
    BodyMissing,

    /// <summary>JSON, but not an object.</summary>
    BodyNotAnObject,

    /// <summary>An object followed by more.</summary>
    BodyNotOneObject,

    /// <summary>Not JSON, or a string JSON does not allow.</summary>
    MalformedJson,

    /// <summary><c>itemId</c> is not a string.</summary>
    ItemIdNotAString,

    /// <summary><c>itemId</c> missing or empty.</summary>
    ItemIdMissing,

    /// <summary><c>itemId</c> over <see cref="EdgeLimits.MaxIdLength"/>.</summary>
    ItemIdTooLong,

    /// <summary><c>requestId</c> neither a string nor null.</summary>
    RequestIdNotAString,

    /// <summary><c>requestId</c> empty or over <see cref="EdgeLimits.MaxRequestIdLength"/>.</summary>
    RequestIdLength,

    /// <summary>The sale id of the path is over <see cref="EdgeLimits.MaxIdLength"/>.</summary>
    SaleIdTooLong,

    /// <summary>No sale with the id of the path.</summary>
    UnknownSale,

    /// <summary>No bearer token.</summary>
    TokenMissing,

    /// <summary>A token that is not a well-formed JWS with the required claims.</summary>
    TokenMalformed,

    /// <summary>A token signed with another algorithm than HS256.</summary>
    TokenUnsupportedAlgorithm,

    /// <summary>A token whose signature does not match.</summary>
    TokenBadSignature,

    /// <summary>A token past its <c>exp</c>.</summary>
    TokenExpired,

    /// <summary>A token before its <c>nbf</c>.</summary>
    TokenNotYetValid,

    /// <summary>No admin key, or the wrong one.</summary>
    AdminKeyInvalid,
}
