namespace FlashSale.Engine.Shards;

/// <summary>Anything a shard's queue carries: purchase attempts, operator commands and messages between shards.</summary>
internal abstract class ShardWork
{
    /// <summary>Runs on the shard's worker, inside a batch, before the batch's journal write.</summary>
    public abstract void Execute(ShardWorker worker);

    /// <summary>Runs after the batch is durable: answers the caller.</summary>
    public abstract void Complete();

    /// <summary>Answers the caller when the shard failed before the work was durable: nothing was decided.</summary>
    public abstract void Abort(Exception error);
}
