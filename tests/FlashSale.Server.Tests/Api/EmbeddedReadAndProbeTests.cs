using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="ReadAndProbeTests"/> on the embedded engine.</summary>
public sealed class EmbeddedReadAndProbeTests(ServerFixture fixture)
    : ReadAndProbeTests(fixture.Server), IClassFixture<ServerFixture>;
