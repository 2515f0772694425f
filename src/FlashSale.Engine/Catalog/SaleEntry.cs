using FlashSale.Core.Sales;
using FlashSale.Engine.Stats;
using FlashSale.Engine.Stock;

namespace FlashSale.Engine.Catalog;

/// <summary>A sale as the engine keeps it: the sale, where each item's units are, and its counters.</summary>
internal sealed class SaleEntry(Sale sale, ItemStock[] items)
{
    public Sale Sale { get; } = sale;

    public ItemStock[] Items { get; } = items;

    public SaleStats Stats { get; } = new();

    public bool AllSoldOut
    {
        get
        {
            foreach (var item in Items)
            {
                if (!item.SoldOut) return false;
            }

            return true;
        }
    }
}
