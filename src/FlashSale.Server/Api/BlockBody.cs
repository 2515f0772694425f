namespace FlashSale.Server.Api;

/// <summary>
/// The body of <c>POST /admin/blocks</c>: exactly one of <c>buyer</c> and <c>ip</c> (an address or a CIDR range);
/// <c>seconds</c> makes the block lapse by itself.
/// </summary>
public sealed record BlockBody(string? Buyer, string? Ip, string? Reason, int? Seconds);
