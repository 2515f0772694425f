namespace FlashSale.Engine.Shards;

/// <summary>Work other than a purchase attempt run on a shard's worker: operator commands, shard messages.</summary>
internal abstract class ShardOperation : ShardWork
{
    /// <summary>Runs on the shard's worker, inside a batch, before the batch's journal write.</summary>
    public abstract void Execute(ShardWorker worker);
}
