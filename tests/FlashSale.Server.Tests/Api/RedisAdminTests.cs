using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="AdminTests"/> on a gateway on Redis.</summary>
public sealed class RedisAdminTests(RedisServerFixture fixture)
    : AdminTests(fixture.Server), IClassFixture<RedisServerFixture>;
