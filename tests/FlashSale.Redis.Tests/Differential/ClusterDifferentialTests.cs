using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Differential;

[Collection(ClusterCollectionDefinition.Name)]
public sealed class ClusterDifferentialTests(ClusterRedis redis) : DifferentialTests(redis);
