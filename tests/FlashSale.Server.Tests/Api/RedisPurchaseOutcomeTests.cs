using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="PurchaseOutcomeTests"/> on a gateway on Redis.</summary>
public sealed class RedisPurchaseOutcomeTests(RedisServerFixture fixture)
    : PurchaseOutcomeTests(fixture.Server), IClassFixture<RedisServerFixture>;
