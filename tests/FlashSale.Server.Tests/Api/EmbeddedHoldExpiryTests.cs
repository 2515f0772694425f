using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="HoldExpiryTests"/> on the embedded engine.</summary>
public sealed class EmbeddedHoldExpiryTests(ServerFixture fixture)
    : HoldExpiryTests(fixture.Server), IClassFixture<ServerFixture>;
