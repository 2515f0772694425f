namespace FlashSale.Server.Pages;

/// <summary>The answer of <c>POST /demo/token</c>.</summary>
/// <param name="Token">A buyer token signed with the demo secret.</param>
/// <param name="User">Its <c>sub</c>.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
public sealed record DemoTokenDto(string Token, string User, DateTimeOffset ExpiresAt);
