using FlashSale.Core.Sales;
using FlashSale.Core.Shards;

namespace FlashSale.Core.Tests.Shards;

/// <summary>
/// The stock source of one shard in a <see cref="ShardWorld"/>: takes units from the world's pool in small chunks,
/// answers held-elsewhere while another shard still has units, and sold out when nobody has any.
/// </summary>
public sealed class PoolStock(ShardWorld world, int shardIndex) : IStockSource
{
    private const int Chunk = 2;

    public int Take(Sale sale, int itemIndex)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var saleIndex = world.IndexOf(sale);
        ref var pool = ref world.Pool[saleIndex][itemIndex];
        if (pool > 0)
        {
            var units = Math.Min(pool, Chunk);
            pool -= units;
            return units;
        }

        for (var shard = 0; shard < ShardWorld.ShardCount; shard++)
        {
            if (shard != shardIndex && world.Shards[shard].CountsOf(sale.Id, itemIndex).Local > 0)
                return IStockSource.HeldElsewhere;
        }

        return IStockSource.SoldOut;
    }
}
