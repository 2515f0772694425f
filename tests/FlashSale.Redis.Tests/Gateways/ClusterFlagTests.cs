using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

[Collection(ClusterCollection.Name)]
public sealed class ClusterFlagTests(ClusterRedis redis) : FlagTests(redis);
