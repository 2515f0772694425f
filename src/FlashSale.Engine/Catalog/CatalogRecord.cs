using FlashSale.Core.Admission;
using FlashSale.Core.Sales;

namespace FlashSale.Engine.Catalog;

/// <summary>A record of the catalog journal: the engine's shape and the sales' lifecycle.</summary>
internal abstract record CatalogRecord
{
    /// <summary>The first record of a data directory: how many shards its journals were written for.</summary>
    public sealed record EngineConfigured(int ShardCount) : CatalogRecord;

    /// <summary>An operator created a sale.</summary>
    public sealed record SaleCreated(SaleDefinition Definition) : CatalogRecord;

    /// <summary>An operator closed a sale.</summary>
    public sealed record SaleClosed(string SaleId, long AtMs) : CatalogRecord;

    /// <summary>An operator changed a sale's admission strategy.</summary>
    public sealed record AdmissionChanged(string SaleId, AdmissionStrategy Strategy) : CatalogRecord;

    /// <summary>An operator added (or replaced) an entry of the block list.</summary>
    public sealed record BlockAdded(Block Block) : CatalogRecord;

    /// <summary>An operator removed an entry of the block list.</summary>
    public sealed record BlockRemoved(BlockKind Kind, string Value) : CatalogRecord;
}
