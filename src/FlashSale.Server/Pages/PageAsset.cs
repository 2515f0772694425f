namespace FlashSale.Server.Pages;

/// <summary>
/// One file the pages serve, ready to send: its bytes (and Brotli bytes when smaller), type and validator.
/// </summary>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="Body">The bytes as they are.</param>
/// <param name="Brotli">The bytes Brotli-compressed, or null when that is not smaller.</param>
/// <param name="ETag">A strong validator from the content's hash (quoted).</param>
/// <param name="Immutable">True for a fingerprinted name: cached for a year, never revalidated.</param>
/// <param name="ContentSecurityPolicy">For an HTML page, its policy; else null.</param>
internal sealed record PageAsset(
    string ContentType, byte[] Body, byte[]? Brotli, string ETag, bool Immutable, string? ContentSecurityPolicy);
