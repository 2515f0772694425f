using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

[Collection(ClusterCollection.Name)]
public sealed class ClusterConcurrentBuyersTests(ClusterRedis redis) : ConcurrentBuyersTests(redis);
