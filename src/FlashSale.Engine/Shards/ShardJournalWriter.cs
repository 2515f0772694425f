using System.Buffers;
using System.Diagnostics;
using FlashSale.Core.Shards;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Shards;

/// <summary>
/// A shard's journal writer: encodes a batch's events into one buffer, knows whether any must be durable (all but
/// remembered refusals), writes the batch once, and fsyncs at once when one must be durable. Records that need no
/// fsync are synced lazily, once <see cref="LazyFlushTicks"/> old (or at stop), not each time the queue runs dry,
/// which under load is after nearly every batch: that was an fsync per batch of refusals.
/// </summary>
internal sealed class ShardJournalWriter(SegmentJournal journal, Action<double> flushObserved) : IDisposable
{
    private static readonly long LazyFlushTicks = Stopwatch.Frequency / 10;

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private bool _mustSync;
    private bool _unflushed;
    private long _lastFlush = Stopwatch.GetTimestamp();

    /// <summary>
    /// Milliseconds until written but unsynced records are due for fsync (0: due now), or null when nothing waits.
    /// </summary>
    public int? LazyFlushDueMs
    {
        get
        {
            if (!_unflushed) return null;
            var due = LazyFlushTicks - (Stopwatch.GetTimestamp() - _lastFlush);
            return due <= 0 ? 0 : (int)(due * 1000 / Stopwatch.Frequency) + 1;
        }
    }

    public void Append(in ShardEvent shardEvent)
    {
        ShardEventCodec.Write(_buffer, shardEvent);

        // Losing a remembered sold_out or limit_reached costs nothing; everything else waits for fsync.
        if (shardEvent.Kind is not (ShardEventKind.AttemptAnswered or ShardEventKind.AnswerRemembered))
        {
            _mustSync = true;
        }
    }

    /// <summary>Writes the batch's records; fsyncs if one must be durable or unsynced ones are old enough.</summary>
    public void Commit()
    {
        if (_buffer.WrittenCount > 0)
        {
            journal.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
            _unflushed = true;
        }

        if (_unflushed && (_mustSync || Stopwatch.GetTimestamp() - _lastFlush > LazyFlushTicks)) Flush();
        _mustSync = false;
    }

    /// <summary>Fsyncs what is written.</summary>
    public void Flush()
    {
        var started = Stopwatch.GetTimestamp();
        journal.Flush();
        _lastFlush = Stopwatch.GetTimestamp();
        _unflushed = false;
        flushObserved(Stopwatch.GetElapsedTime(started, _lastFlush).TotalSeconds);
    }

    /// <summary>Once the segment passed <paramref name="segmentBytes"/>: a snapshot and a new segment.</summary>
    public void RotateIfFull(long segmentBytes, Action<Stream> writeSnapshot)
    {
        if (journal.SegmentLength >= segmentBytes) journal.Rotate(writeSnapshot);
    }

    public void Dispose() => journal.Dispose();
}
