namespace FlashSale.Redis.Tests.Support;

/// <summary>Tests on the 3-primary cluster: run one class at a time (they share the expiry lease).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollectionDefinition : ICollectionFixture<ClusterRedis>
{
    public const string Name = "redis cluster";
}
