using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="AdminTests"/> on the embedded engine.</summary>
public sealed class EmbeddedAdminTests(ServerFixture fixture)
    : AdminTests(fixture.Server), IClassFixture<ServerFixture>;
