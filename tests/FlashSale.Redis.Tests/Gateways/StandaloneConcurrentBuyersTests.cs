using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

[Collection(StandaloneCollectionDefinition.Name)]
public sealed class StandaloneConcurrentBuyersTests(StandaloneRedis redis) : ConcurrentBuyersTests(redis);
