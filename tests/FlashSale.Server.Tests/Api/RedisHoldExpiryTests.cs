using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="HoldExpiryTests"/> on a gateway on Redis.</summary>
public sealed class RedisHoldExpiryTests(RedisServerFixture fixture)
    : HoldExpiryTests(fixture.Server), IClassFixture<RedisServerFixture>;
