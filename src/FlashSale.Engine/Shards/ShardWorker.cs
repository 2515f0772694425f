using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;
using FlashSale.Engine.Catalog;
using FlashSale.Engine.Journal;
using FlashSale.Engine.Stock;

namespace FlashSale.Engine.Shards;

/// <summary>
/// One shard: a single thread that takes work from its queue in batches, decides each item on the
/// <see cref="ShardState"/>, appends the batch's records to the journal, fsyncs once when the batch holds anything
/// that must be durable (group commit), and only then answers the batch's callers.
/// </summary>
internal sealed partial class ShardWorker : IShardEventSink, IStockSource, IDisposable
{
    private static readonly long LazyFlushTicks = Stopwatch.Frequency / 10;

    private readonly FlashSaleEngine _engine;
    private readonly EngineOptions _options;
    private readonly SegmentJournal _journal;
    private readonly ConcurrentQueue<ShardWork> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly List<ShardWork> _batch = [];
    private readonly List<ShardWork> _done = [];
    private readonly List<FreedUnit> _freed = [];
    private readonly List<(ItemStock Stock, int Units, int ToShard, SaleEntry Entry, int ItemIndex)> _returned = [];
    private readonly Dictionary<(SaleEntry Entry, int ItemIndex), WaitingAttempts> _waiting = [];
    private readonly Thread _thread;
    private int _depth;
    private int _sleeping;
    private int _exited;
    private Exception _exitError = new ObjectDisposedException(nameof(FlashSaleEngine));
    private volatile bool _stopping;
    private bool _mustSync;
    private bool _unflushed;
    private long _lastFlush;

    public ShardWorker(FlashSaleEngine engine, EngineOptions options, int index, ShardState state, SegmentJournal journal)
    {
        _engine = engine;
        _options = options;
        Index = index;
        State = state;
        _journal = journal;
        _thread = new Thread(Run) { IsBackground = true, Name = $"flashsale-shard-{index}" };
    }

    public int Index { get; }

    public ShardState State { get; }

    /// <summary>Time of the current batch, Unix milliseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Units freed by cancels and expiries in the current batch.</summary>
    public List<FreedUnit> Freed => _freed;

    /// <summary>Purchase attempts waiting in the queue.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>Called with the seconds each journal fsync took.</summary>
    public Action<double>? FlushObserved { get; set; }

    public void Start() => _thread.Start();

    /// <summary>Queues an attempt, or answers busy at once when the queue is full.</summary>
    public ValueTask<Decision> Submit(SaleEntry entry, int itemIndex, string userId, string? requestId)
    {
        if (_stopping || Interlocked.Increment(ref _depth) > _options.QueueCapacity)
        {
            if (!_stopping) Interlocked.Decrement(ref _depth);
            entry.Stats.Count(Outcome.Busy);
            return new ValueTask<Decision>(Decision.Of(Outcome.Busy));
        }

        var request = PurchaseRequest.Rent(entry, itemIndex, userId, requestId);
        var task = request.AsValueTask();
        Post(request);
        return task;
    }

    /// <summary>Runs <paramref name="run"/> on this shard's thread; the task completes once its changes are durable.</summary>
    public Task<T> Run<T>(Func<ShardWorker, T> run)
    {
        var command = new ShardCommand<T>(run);
        if (_stopping) command.Fail(new ObjectDisposedException(nameof(FlashSaleEngine)));
        else Post(command);
        return command.Task;
    }

    public void Post(ShardWork work)
    {
        _queue.Enqueue(work);

        // Posted as the worker ended (a purchase racing DisposeAsync): nobody else will take it, so answer it here.
        if (Volatile.Read(ref _exited) == 1) AbortQueued();
        else if (Volatile.Read(ref _sleeping) == 1) _signal.Set();
    }

    /// <summary>Stops taking attempts, finishes the queue, flushes the journal and ends the thread.</summary>
    public void Stop()
    {
        _stopping = true;
        _signal.Set();
        if (_thread.IsAlive) _thread.Join();
    }

    public void Dispose()
    {
        _journal.Dispose();
        _signal.Dispose();
    }

    private void Run()
    {
        try
        {
            Work();
        }
        finally
        {
            // From here on work has no worker: answer what is queued (busy, or the error), and Post answers the rest.
            Interlocked.Exchange(ref _exited, 1);
            AbortQueued();
        }
    }

    private void AbortQueued()
    {
        while (_queue.TryDequeue(out var work)) work.Abort(_exitError);
    }

    private void Work()
    {
        _lastFlush = Stopwatch.GetTimestamp();
        while (true)
        {
            if (!_queue.TryDequeue(out var work))
            {
                // What is written but not synced needs no fsync (remembered refusals): sync it once it is
                // LazyFlushTicks old, or at stop. Not each time the queue runs dry, which under load is after nearly
                // every batch: that was an fsync per batch of refusals.
                var waitMs = 1000;
                if (_unflushed)
                {
                    var due = LazyFlushTicks - (Stopwatch.GetTimestamp() - _lastFlush);
                    if (due <= 0 || _stopping)
                    {
                        FlushJournal();
                        continue;
                    }

                    waitMs = (int)(due * 1000 / Stopwatch.Frequency) + 1;
                }

                if (_stopping) break;
                _signal.Reset();
                Interlocked.Exchange(ref _sleeping, 1);
                if (_queue.IsEmpty && !_stopping) _signal.Wait(waitMs);
                Interlocked.Exchange(ref _sleeping, 0);
                continue;
            }

            _batch.Add(work);
            while (_batch.Count < _options.MaxBatchSize && _queue.TryDequeue(out work)) _batch.Add(work);
            try
            {
                RunBatch();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Fail(e);
                return;
            }
        }

        foreach (var waiting in _waiting.Values)
        {
            while (waiting.Requests.TryDequeue(out var request)) request.CompleteBusy();
        }

        if (_unflushed) FlushJournal();
    }

    /// <summary>
    /// The journal could not be written (disk full, I/O error): what this batch decided is not durable, so nobody
    /// is told it; every caller is answered busy or with the error, and the shard takes no more work.
    /// </summary>
    private void Fail(Exception error)
    {
        _stopping = true;
        _exitError = error;
        _engine.OnShardFailed(Index, error);
        foreach (var work in _done) work.Abort(error);
        foreach (var work in _batch)
        {
            if (!_done.Contains(work)) work.Abort(error);
        }

        _done.Clear();
        _batch.Clear();
        while (_queue.TryDequeue(out var queued)) queued.Abort(error);
        foreach (var waiting in _waiting.Values)
        {
            while (waiting.Requests.TryDequeue(out var request)) request.Abort(error);
        }
    }

    private void RunBatch()
    {
        Now = _engine.Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var work in _batch)
        {
            if (work is PurchaseRequest request)
            {
                Interlocked.Decrement(ref _depth);
                Decide(request);
            }
            else
            {
                work.Execute(this);
                _done.Add(work);
            }
        }

        Commit();
        _batch.Clear();
        foreach (var work in _done) work.Complete();
        _done.Clear();
        if (_journal.SegmentLength >= _options.SegmentBytes) _journal.Rotate(WriteSnapshot);
    }

    /// <summary>Writes the batch's records; fsyncs when any must be durable; then does what waited for durability.</summary>
    private void Commit()
    {
        if (_buffer.WrittenCount > 0)
        {
            _journal.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
            _unflushed = true;
        }

        if (_unflushed && (_mustSync || Stopwatch.GetTimestamp() - _lastFlush > LazyFlushTicks)) FlushJournal();
        _mustSync = false;

        // Units go back to the pool only once their return is on disk: otherwise a crash could leave a unit both
        // here (journal) and sold by another shard.
        foreach (var unit in _freed)
        {
            var entry = _engine.Catalog.Find(unit.SaleId);
            if (entry is not null && entry.Items[unit.ItemIndex].Freed()) _engine.OnAvailabilityChanged(entry, unit.ItemIndex);
        }

        _freed.Clear();
        foreach (var (stock, units, toShard, entry, itemIndex) in _returned)
        {
            if (units > 0) stock.Returned(Index, units);
            _engine.Shard(toShard).Post(new ShardMessage(ShardMessage.Kind.StockArrived, entry, itemIndex));
        }

        _returned.Clear();
    }

    private void FlushJournal()
    {
        var started = Stopwatch.GetTimestamp();
        _journal.Flush();
        _lastFlush = Stopwatch.GetTimestamp();
        _unflushed = false;
        FlushObserved?.Invoke(Stopwatch.GetElapsedTime(started, _lastFlush).TotalSeconds);
    }

    void IShardEventSink.Append(in ShardEvent shardEvent)
    {
        ShardEventCodec.Write(_buffer, shardEvent);

        // Losing a remembered sold_out or limit_reached costs nothing; everything else waits for fsync.
        if (shardEvent.Kind != ShardEventKind.AttemptAnswered) _mustSync = true;
        if (shardEvent.Kind == ShardEventKind.ReservationMade)
        {
            var entry = _engine.Catalog.Find(shardEvent.SaleId!)!;
            entry.Stats.ReservationMade();
            if (entry.Items[shardEvent.ItemIndex].Sold(Index)) _engine.OnAvailabilityChanged(entry, shardEvent.ItemIndex);
        }
    }

    int IStockSource.Take(Sale sale, int itemIndex)
    {
        var entry = _engine.Catalog.Find(sale.Id)!;
        var taken = entry.Items[itemIndex].Take(Index, _options.MaxChunk, out var becameSoldOut);
        if (becameSoldOut) _engine.OnAvailabilityChanged(entry, itemIndex);
        return taken;
    }

    private void WriteSnapshot(Stream stream)
    {
        var sink = new SnapshotSink(stream);
        State.WriteSnapshot(sink);
        sink.Finish();
    }
}
