using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Differential;

[Collection(StandaloneCollectionDefinition.Name)]
public sealed class StandaloneDifferentialTests(StandaloneRedis redis) : DifferentialTests(redis);
