using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="ExportSafetyTests"/> on a gateway on Redis.</summary>
public sealed class RedisExportSafetyTests(RedisServerFixture fixture)
    : ExportSafetyTests(fixture.Server), IClassFixture<RedisServerFixture>;
