using FlashSale.Core.Shards;

namespace FlashSale.Benchmarks.Support;

/// <summary>A sink that keeps nothing, so the state machine is measured alone.</summary>
internal sealed class NullEventSink : IShardEventSink
{
    public static readonly NullEventSink Instance = new();

    public void Append(in ShardEvent shardEvent)
    {
    }
}
