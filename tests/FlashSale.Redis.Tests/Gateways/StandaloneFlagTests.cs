using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneFlagTests(StandaloneRedis redis) : FlagTests(redis);
