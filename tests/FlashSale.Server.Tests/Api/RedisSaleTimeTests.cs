using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="SaleTimeTests"/> on a gateway on Redis.</summary>
public sealed class RedisSaleTimeTests(RedisServerFixture fixture)
    : SaleTimeTests(fixture.Server), IClassFixture<RedisServerFixture>;
