namespace FlashSale.Server.Pages;

/// <summary>The body of <c>POST /demo/token</c>.</summary>
/// <param name="User">The buyer's id (the token's <c>sub</c>), 1 to 128 characters.</param>
public sealed record DemoTokenBody(string? User);
