using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="SaleTimeTests"/> on the embedded engine.</summary>
public sealed class EmbeddedSaleTimeTests(ServerFixture fixture)
    : SaleTimeTests(fixture.Server), IClassFixture<ServerFixture>;
