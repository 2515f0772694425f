using FlashSale.Core.Shards;

namespace FlashSale.Core.Tests.Shards;

/// <summary>An event sink that keeps every event, as the journal would.</summary>
public sealed class RecordingSink : IShardEventSink
{
    public List<ShardEvent> Events { get; } = [];

    public void Append(in ShardEvent shardEvent) => Events.Add(shardEvent);

    /// <summary>A fresh state of shard <paramref name="shardIndex"/> with every recorded event applied.</summary>
    public ShardState Replay(int shardIndex)
    {
        var state = new ShardState(shardIndex);
        foreach (var e in Events) state.Apply(e);
        return state;
    }
}
