using System.Collections.Concurrent;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;
using FlashSale.Engine.Catalog;
using FlashSale.Engine.Journal;
using FlashSale.Engine.Stock;

namespace FlashSale.Engine.Shards;

/// <summary>
/// One shard: a single thread that takes work from its <see cref="ShardInbox"/> in batches, decides each item on the
/// <see cref="ShardState"/>, has the <see cref="ShardJournalWriter"/> append the batch's records and fsync once when
/// the batch holds anything that must be durable (group commit), and only then answers the batch's callers.
/// </summary>
internal sealed partial class ShardWorker : IShardEventSink, IStockSource, IDisposable
{
    private readonly ShardContext _context;
    private readonly ShardInbox _inbox;
    private readonly ShardJournalWriter _writer;
    private readonly List<ShardWork> _batch = [];
    private readonly List<ShardWork> _done = [];
    private readonly List<FreedUnit> _freed = [];
    private readonly List<(ItemStock Stock, int Units, int ToShard, SaleEntry Entry, int ItemIndex)> _returned = [];
    private readonly Dictionary<(SaleEntry Entry, int ItemIndex), WaitingAttempts> _waiting = [];

    // Answers the edge gave from memory for this shard's buyers, waiting to be journaled: the edge does not wait, and
    // posting one neither allocates nor wakes the worker (which writes them at its next batch, or within 100 ms).
    private readonly ConcurrentQueue<EdgeAnswer> _edgeAnswers = new();
    private readonly Thread _thread;

    // The sale of the attempt being decided: taking units and counting a reservation use it rather than look the
    // sale up again by id.
    private SaleEntry? _deciding;

    public ShardWorker(ShardContext context, int index, ShardState state, SegmentJournal journal)
    {
        _context = context;
        Index = index;
        State = state;
        _inbox = new ShardInbox(context.Options.QueueCapacity);
        _writer = new ShardJournalWriter(journal, context.FlushObserved);
        _thread = new Thread(Run) { IsBackground = true, Name = $"flashsale-shard-{index}" };
    }

    public int Index { get; }

    public ShardState State { get; }

    /// <summary>Time of the current batch, Unix milliseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Units freed by cancels and expiries in the current batch.</summary>
    public List<FreedUnit> Freed => _freed;

    /// <summary>Purchase attempts waiting in the queue.</summary>
    public int QueueDepth => _inbox.Depth;

    public void Start() => _thread.Start();

    /// <summary>Queues an attempt, or answers busy at once when the queue is full.</summary>
    public ValueTask<Decision> Submit(SaleEntry entry, int itemIndex, string userId, string? requestId)
    {
        if (!_inbox.TryAdmit())
        {
            entry.Stats.Count(Outcome.Busy);
            return new ValueTask<Decision>(Decision.Of(Outcome.Busy));
        }

        var request = PurchaseRequest.Rent(entry, itemIndex, userId, requestId);
        var task = request.AsValueTask();
        _inbox.Post(request);
        return task;
    }

    /// <summary>
    /// Runs <paramref name="run"/> on this shard's thread; the task completes once its changes are durable.
    /// </summary>
    public Task<T> Run<T>(Func<ShardWorker, T> run)
    {
        var command = new ShardCommand<T>(run);
        if (_inbox.IsStopping) command.Fail(new ObjectDisposedException(nameof(FlashSaleEngine)));
        else _inbox.Post(command);
        return command.Task;
    }

    public void Post(ShardWork work) => _inbox.Post(work);

    /// <summary>Journals an answer the edge gave from memory (already in the shard's answers); nobody waits.</summary>
    public void PostEdgeAnswer(in EdgeAnswer answer) => _edgeAnswers.Enqueue(answer);

    /// <summary>Stops taking attempts, finishes the queue, flushes the journal and ends the thread.</summary>
    public void Stop()
    {
        _inbox.Stop();
        if (_thread.IsAlive) _thread.Join();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _inbox.Dispose();
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
            _inbox.Close();
        }
    }

    private void Work()
    {
        while (true)
        {
            if (!_inbox.TryTake(out var work))
            {
                if (!_edgeAnswers.IsEmpty)
                {
                    try
                    {
                        JournalEdgeAnswers();
                        _writer.Commit();
                        _writer.RotateIfFull(_context.Options.SegmentBytes, WriteSnapshot);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Fail(e);
                        return;
                    }
                }

                // Short naps while idle, so that answers the edge posted without waking the worker reach the journal.
                var waitMs = 100;
                if (_writer.LazyFlushDueMs is { } due)
                {
                    if (due == 0 || _inbox.IsStopping)
                    {
                        _writer.Flush();
                        continue;
                    }

                    waitMs = due;
                }

                if (_inbox.IsStopping) break;
                _inbox.Sleep(waitMs);
                continue;
            }

            _batch.Add(work);
            while (_batch.Count < _context.Options.MaxBatchSize && _inbox.TryTake(out work)) _batch.Add(work);
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

        JournalEdgeAnswers();
        _writer.Commit();
        if (_writer.LazyFlushDueMs is not null) _writer.Flush();
    }

    /// <summary>
    /// The journal could not be written (disk full, I/O error): what this batch decided is not durable, so nobody
    /// is told it; every caller is answered busy or with the error, and the shard takes no more work.
    /// </summary>
    private void Fail(Exception error)
    {
        _context.ShardFailed(Index, error);
        foreach (var work in _done) work.Abort(error);
        foreach (var work in _batch)
        {
            if (!_done.Contains(work)) work.Abort(error);
        }

        _done.Clear();
        _batch.Clear();
        _inbox.Fail(error);
        foreach (var waiting in _waiting.Values)
        {
            while (waiting.Requests.TryDequeue(out var request)) request.Abort(error);
        }
    }

    private void RunBatch()
    {
        Now = _context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        JournalEdgeAnswers();
        foreach (var work in _batch)
        {
            if (work is PurchaseRequest request)
            {
                _inbox.Taken();
                Decide(request);
            }
            else
            {
                ((ShardOperation)work).Execute(this);
                _done.Add(work);
            }
        }

        Commit();
        _batch.Clear();
        foreach (var work in _done) work.Complete();
        _done.Clear();
        _writer.RotateIfFull(_context.Options.SegmentBytes, WriteSnapshot);
    }

    /// <summary>Writes the batch's records (fsynced if one must be durable), then does what waited for that.</summary>
    private void Commit()
    {
        _writer.Commit();

        // Units go back to the pool only once their return is on disk: otherwise a crash could leave a unit both
        // here (journal) and sold by another shard.
        foreach (var unit in _freed)
        {
            var entry = _context.Catalog.Find(unit.SaleId);
            if (entry is null || !entry.Items[unit.ItemIndex].Freed()) continue;
            _context.AvailabilityChanged(entry, unit.ItemIndex);
        }

        _freed.Clear();
        foreach (var (stock, units, toShard, entry, itemIndex) in _returned)
        {
            if (units > 0) stock.Returned(Index, units);
            _context.Shards[toShard].Post(new ShardMessage(ShardMessage.Kind.StockArrived, entry, itemIndex));
        }

        _returned.Clear();
    }

    private void JournalEdgeAnswers()
    {
        while (_edgeAnswers.TryDequeue(out var answer)) _writer.Append(answer.ToEvent());
    }

    void IShardEventSink.Append(in ShardEvent shardEvent)
    {
        _writer.Append(shardEvent);
        if (shardEvent.Kind == ShardEventKind.ReservationMade)
        {
            // Only a decision makes a reservation: its sale is the one being decided.
            var entry = _deciding!;
            entry.Stats.ReservationMade();
            var itemIndex = shardEvent.ItemIndex;
            if (entry.Items[itemIndex].Sold(Index)) _context.AvailabilityChanged(entry, itemIndex);
        }
    }

    int IStockSource.Take(Sale sale, int itemIndex)
    {
        var entry = _deciding!;
        var taken = entry.Items[itemIndex].Take(Index, _context.Options.MaxChunk, out var becameSoldOut);
        if (becameSoldOut) _context.AvailabilityChanged(entry, itemIndex);
        return taken;
    }

    private void WriteSnapshot(Stream stream)
    {
        var sink = new SnapshotSink(stream);
        State.WriteSnapshot(sink);
        sink.Finish();
    }
}
