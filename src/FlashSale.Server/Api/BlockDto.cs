namespace FlashSale.Server.Api;

/// <summary>An entry of the block list: <c>kind</c> is <c>buyer</c> or <c>ip</c> (address or CIDR range).</summary>
public sealed record BlockDto(string Kind, string Value, string? Reason, DateTimeOffset? Until);
