using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

[Collection(StandaloneCollectionDefinition.Name)]
public sealed class StandaloneFlagTests(StandaloneRedis redis) : FlagTests(redis);
