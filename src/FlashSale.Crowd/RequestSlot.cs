using System.Diagnostics;

namespace FlashSale.Crowd;

/// <summary>
/// One worker's request timeout. A linked token source and a timer per request cost more CPU than the rest of the
/// client's bookkeeping; instead each worker keeps one token source, and a watchdog pass (every refresh) cancels it
/// when the worker's request has been in flight too long. The lock keeps a cancel from hitting the next request.
/// </summary>
internal sealed class RequestSlot : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _cancel = new();
    private long _sentAt;

    /// <summary>Marks a request as sent and returns the token that the watchdog may cancel.</summary>
    public CancellationToken Begin(long now)
    {
        lock (_gate)
        {
            if (_cancel.IsCancellationRequested)
            {
                _cancel.Dispose();
                _cancel = new CancellationTokenSource();
            }

            _sentAt = now;
            return _cancel.Token;
        }
    }

    /// <summary>The request is answered (or failed).</summary>
    public void End()
    {
        lock (_gate) _sentAt = 0;
    }

    /// <summary>
    /// Cancels the request in flight if it was sent more than <paramref name="timeout"/> ticks before <paramref
    /// name="now"/>.
    /// </summary>
    public void Check(long now, long timeout)
    {
        lock (_gate)
        {
            if (_sentAt != 0 && now - _sentAt > timeout) _cancel.Cancel();
        }
    }

    public void Dispose() => _cancel.Dispose();

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
