using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Differential;

[Collection(ClusterCollection.Name)]
public sealed class ClusterDifferentialTests(ClusterRedis redis) : DifferentialTests(redis);
