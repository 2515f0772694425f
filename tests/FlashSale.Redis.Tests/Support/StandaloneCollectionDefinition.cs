namespace FlashSale.Redis.Tests.Support;

/// <summary>Tests on the standalone primary + replica: run one class at a time (they share the expiry lease).</summary>
[CollectionDefinition(Name)]
public sealed class StandaloneCollectionDefinition : ICollectionFixture<StandaloneRedis>
{
    public const string Name = "standalone redis";
}
