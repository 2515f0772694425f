using System.Buffers;
using FlashSale.Core.Shards;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Shards;

/// <summary>Writes a shard's snapshot events as framed records to a stream, a chunk at a time.</summary>
internal sealed class SnapshotSink(Stream stream) : IShardEventSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);

    public void Append(in ShardEvent shardEvent)
    {
        ShardEventCodec.Write(_buffer, shardEvent);
        if (_buffer.WrittenCount >= 1 << 20) Finish();
    }

    public void Finish()
    {
        stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}
