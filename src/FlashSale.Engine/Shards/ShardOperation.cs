namespace FlashSale.Engine.Shards;

/// <summary>Work other than a purchase attempt (operator commands, messages between shards) run on a shard's worker.</summary>
internal abstract class ShardOperation : ShardWork
{
    /// <summary>Runs on the shard's worker, inside a batch, before the batch's journal write.</summary>
    public abstract void Execute(ShardWorker worker);
}
