using FlashSale.Engine.Catalog;

namespace FlashSale.Engine.Shards;

/// <summary>Messages between shards and from the engine's timer; nobody awaits them.</summary>
internal sealed class ShardMessage(
    ShardMessage.Kind kind, SaleEntry? entry = null, int itemIndex = 0, int fromShard = 0) : ShardOperation
{
    public enum Kind
    {
        /// <summary>Give back this item's unsold units; then tell <c>fromShard</c>.</summary>
        Release,

        /// <summary>Units of this item may be in the pool again: retry the attempts waiting for them.</summary>
        StockArrived,

        /// <summary>Expire the holds that are due.</summary>
        ExpireDue,
    }

    public override void Execute(ShardWorker worker)
    {
        switch (kind)
        {
            case Kind.Release:
                worker.Release(entry!, itemIndex, fromShard);
                break;
            case Kind.StockArrived:
                worker.RetryWaiting(entry!, itemIndex);
                break;
            case Kind.ExpireDue:
                worker.ExpireDue();
                break;
        }
    }

    public override void Complete()
    {
    }

    public override void Abort(Exception error)
    {
    }
}
