using FlashSale.Core.Sales;

namespace FlashSale.Core.Shards;

/// <summary>Where a shard gets units when its own are gone: the item's shared pool.</summary>
public interface IStockSource
{
    /// <summary>
    /// Takes units for the shard. Returns how many were taken (&gt; 0); <see cref="SoldOut"/> when no unit is left
    /// anywhere; or <see cref="HeldElsewhere"/> when the pool is empty but another shard still holds units.
    /// </summary>
    int Take(Sale sale, int itemIndex);

    /// <summary><see cref="Take"/>'s answer when the item is sold out everywhere.</summary>
    public const int SoldOut = 0;

    /// <summary><see cref="Take"/>'s answer when units are held by other shards.</summary>
    public const int HeldElsewhere = -1;
}
