using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="ExportSafetyTests"/> on the embedded engine.</summary>
public sealed class EmbeddedExportSafetyTests(ServerFixture fixture)
    : ExportSafetyTests(fixture.Server), IClassFixture<ServerFixture>;
