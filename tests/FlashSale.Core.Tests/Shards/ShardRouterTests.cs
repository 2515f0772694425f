using FlashSale.Core.Shards;

namespace FlashSale.Core.Tests.Shards;

/// <summary>
/// A buyer's shard holds their limit and their remembered answers in its journal: the hash must never change
/// between versions (docs/ARCHITECTURE.md), so it is pinned to values computed outside this code (FNV-1a, 32 bits,
/// over the id's UTF-16LE bytes).
/// </summary>
public sealed class ShardRouterTests
{
    [Theory]
    [InlineData("", 18_652_614)]
    [InlineData("alice", 1_478_347_799)]
    [InlineData("bob", 925_367_363)]
    [InlineData("buyer-0000001", 1_497_915_000)]
    [InlineData("zoë", 1_608_553_676)]
    [InlineData("用户", 1_082_149_907)]
    public void The_hash_of_a_user_id_is_fixed_for_every_version(string userId, int expected) =>
        Assert.Equal(expected, ShardRouter.ShardOf(userId, int.MaxValue));

    [Theory]
    [InlineData("alice", 8, 7)]
    [InlineData("bob", 8, 2)]
    [InlineData("carol", 4, 2)]
    [InlineData("buyer-0000001", 16, 8)]
    [InlineData("buyer-0999999", 1024, 617)]
    [InlineData("", 3, 1)]
    [InlineData("zoë", 7, 3)]
    [InlineData("用户", 5, 2)]
    [InlineData("alice", 1, 0)]
    public void A_user_id_maps_to_a_fixed_shard_for_each_shard_count(string userId, int shardCount, int expected) =>
        Assert.Equal(expected, ShardRouter.ShardOf(userId, shardCount));
}
