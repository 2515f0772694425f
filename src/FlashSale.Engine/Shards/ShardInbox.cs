using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace FlashSale.Engine.Shards;

/// <summary>
/// A shard's inbox: the queue its worker takes work from, how many purchase attempts wait in it, and the signal that
/// wakes a sleeping worker (set only when it sleeps: once per batch under load, not once per attempt). Any thread
/// posts; only the worker takes.
/// </summary>
internal sealed class ShardInbox(int capacity) : IDisposable
{
    private readonly ConcurrentQueue<ShardWork> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private int _depth;
    private int _sleeping;
    private int _closed;
    private Exception _closedError = new ObjectDisposedException(nameof(FlashSaleEngine));
    private volatile bool _stopping;

    /// <summary>Purchase attempts waiting.</summary>
    public int Depth => Volatile.Read(ref _depth);

    /// <summary>True once the shard takes no more attempts: stopping, or failed.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Counts in an attempt about to be posted; false (counting nothing) when full or stopping.</summary>
    public bool TryAdmit()
    {
        if (_stopping) return false;
        if (Interlocked.Increment(ref _depth) <= capacity) return true;
        Interlocked.Decrement(ref _depth);
        return false;
    }

    /// <summary>An admitted attempt was taken off the queue.</summary>
    public void Taken() => Interlocked.Decrement(ref _depth);

    public void Post(ShardWork work)
    {
        _queue.Enqueue(work);

        // Posted as the worker ended (a purchase racing DisposeAsync): nobody else will take it, so answer it here.
        if (Volatile.Read(ref _closed) == 1) AbortQueued();
        else if (Volatile.Read(ref _sleeping) == 1) _signal.Set();
    }

    public bool TryTake([MaybeNullWhen(false)] out ShardWork work) => _queue.TryDequeue(out work);

    /// <summary>Sleeps until work is posted, the inbox is stopped, or <paramref name="timeoutMs"/> passed.</summary>
    public void Sleep(int timeoutMs)
    {
        _signal.Reset();
        Interlocked.Exchange(ref _sleeping, 1);
        if (_queue.IsEmpty && !_stopping) _signal.Wait(timeoutMs);
        Interlocked.Exchange(ref _sleeping, 0);
    }

    /// <summary>Takes no more attempts and wakes the worker, which finishes what is queued.</summary>
    public void Stop()
    {
        _stopping = true;
        _signal.Set();
    }

    /// <summary>The shard failed: it takes no more work, and what is queued is answered with the error.</summary>
    public void Fail(Exception error)
    {
        _closedError = error;
        _stopping = true;
        AbortQueued();
    }

    /// <summary>The worker ended: what is queued, and whatever is posted from now on, is answered at once.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closed, 1);
        AbortQueued();
    }

    public void Dispose() => _signal.Dispose();

    private void AbortQueued()
    {
        while (_queue.TryDequeue(out var work)) work.Abort(_closedError);
    }
}
