using FlashSale.Core.Sales;
using FlashSale.Core.Shards;

namespace FlashSale.Benchmarks.Support;

/// <summary>
/// A pool with a fixed number of units, handed out in chunks; sold out once empty (one shard, nothing held
/// elsewhere).
/// </summary>
internal sealed class FixedStockSource(int units, int maxChunk) : IStockSource
{
    private int _units = units;

    public int Take(Sale sale, int itemIndex)
    {
        if (_units == 0) return IStockSource.SoldOut;
        var taken = Math.Min(_units, maxChunk);
        _units -= taken;
        return taken;
    }
}
