using FlashSale.Server.Auth;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>The user id a token carries, for tests that only care whether it validates.</summary>
public static class TokenChecks
{
    /// <summary>The token's <c>sub</c> when it validates at <paramref name="nowSeconds"/>, else null.</summary>
    public static string? UserOf(this BuyerTokens tokens, ReadOnlySpan<char> token, long nowSeconds) =>
        tokens.Validate(token, nowSeconds, out var userId) == TokenRejection.None ? userId : null;
}
