using System.Threading.Channels;

namespace FlashSale.Redis.Batching;

/// <summary>
/// Gathers the attempts bound for one slot (one sale) and hands them to <c>send</c> in batches: at most
/// <c>maxBatch</c> attempts, gathered for at most <c>window</c> once one waits, with at most <c>inFlight</c> batches
/// out at once. While batches are out, new attempts queue and leave together with the next one, so under load the
/// batches grow by themselves; alone, an attempt waits no longer than the window.
/// </summary>
internal sealed class SlotBatcher : IDisposable
{
    private readonly Channel<PendingAttempt> _queue;
    private readonly SemaphoreSlim _inFlight;
    private readonly int _maxInFlight;
    private readonly Func<List<PendingAttempt>, Task> _send;
    private readonly int _maxBatch;
    private readonly TimeSpan _window;
    private readonly Task _loop;

    public SlotBatcher(int capacity, int maxBatch, TimeSpan window, int inFlight, Func<List<PendingAttempt>, Task> send)
    {
        _queue = Channel.CreateBounded<PendingAttempt>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _maxBatch = maxBatch;
        _window = window;
        _maxInFlight = inFlight;
        _inFlight = new SemaphoreSlim(inFlight, inFlight);
        _send = send;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Attempts waiting for a batch.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues an attempt; false when the queue is full (the caller answers busy).</summary>
    public bool TryEnqueue(PendingAttempt attempt) => _queue.Writer.TryWrite(attempt);

    /// <summary>Sends what is queued, waits for every batch in flight, and stops.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        for (var i = 0; i < _maxInFlight; i++) await _inFlight.WaitAsync();
    }

    /// <summary>Releases the in-flight semaphore; call after <see cref="StopAsync"/>.</summary>
    public void Dispose() => _inFlight.Dispose();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            await _inFlight.WaitAsync();
            if (_window > TimeSpan.Zero && reader.Count < _maxBatch) await Task.Delay(_window);
            var batch = new List<PendingAttempt>(Math.Min(Math.Max(reader.Count, 1), _maxBatch));
            while (batch.Count < _maxBatch && reader.TryRead(out var attempt)) batch.Add(attempt);
            _ = SendAsync(batch);
        }
    }

    private async Task SendAsync(List<PendingAttempt> batch)
    {
        try
        {
            await _send(batch);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
