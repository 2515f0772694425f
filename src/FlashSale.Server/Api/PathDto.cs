namespace FlashSale.Server.Api;

/// <summary>
/// <c>POST /api/sales/{saleId}/path</c>: where to purchase, and until when (null: the plain route, no expiry).
/// </summary>
public sealed record PathDto(string Path, DateTimeOffset? ExpiresAt);
