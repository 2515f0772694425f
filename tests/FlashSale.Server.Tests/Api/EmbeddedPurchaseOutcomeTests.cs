using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="PurchaseOutcomeTests"/> on the embedded engine.</summary>
public sealed class EmbeddedPurchaseOutcomeTests(ServerFixture fixture)
    : PurchaseOutcomeTests(fixture.Server), IClassFixture<ServerFixture>;
