namespace FlashSale.Core.Shards;

/// <summary>Receives every state change a shard makes, in order: the engine's journal, or a list in tests.</summary>
public interface IShardEventSink
{
    /// <summary>Records one change. Called before the change is applied to the state.</summary>
    void Append(in ShardEvent shardEvent);
}
