using System.Buffers;
using FlashSale.Core.Shards;
using FlashSale.Engine.Journal;

namespace FlashSale.Benchmarks.Support;

/// <summary>
/// Encodes every event as the shard worker does (framed, CRC-checked records), into a buffer reused per batch;
/// writes nothing.
/// </summary>
internal sealed class JournalEncodingSink : IShardEventSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);

    public int Bytes { get; private set; }

    public void Append(in ShardEvent shardEvent)
    {
        if (_buffer.WrittenCount > 60_000)
        {
            Bytes += _buffer.WrittenCount;
            _buffer.ResetWrittenCount();
        }

        ShardEventCodec.Write(_buffer, shardEvent);
    }
}
