using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

[Collection(ClusterCollectionDefinition.Name)]
public sealed class ClusterFlagTests(ClusterRedis redis) : FlagTests(redis);
