namespace FlashSale.Engine.Shards;

/// <summary>
/// Anything a shard's queue carries: purchase attempts (<see cref="PurchaseRequest"/>, decided by the worker) and
/// <see cref="ShardOperation"/>s (operator commands and messages between shards).
/// </summary>
internal abstract class ShardWork
{
    /// <summary>Runs after the batch is durable: answers the caller.</summary>
    public abstract void Complete();

    /// <summary>Answers the caller when the shard failed before the work was durable: nothing was decided.</summary>
    public abstract void Abort(Exception error);
}
