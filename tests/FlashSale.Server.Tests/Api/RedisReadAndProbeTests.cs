using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The contract tests of <see cref="ReadAndProbeTests"/> on a gateway on Redis.</summary>
public sealed class RedisReadAndProbeTests(RedisServerFixture fixture)
    : ReadAndProbeTests(fixture.Server), IClassFixture<RedisServerFixture>;
