namespace FlashSale.Crowd;

/// <summary>
/// Hands the next buyer to a free worker (one worker per connection). Fresh buyers arrive as fast as workers take them
/// (closed loop) or at a fixed rate (open loop: buyer i is due at start + i / rate); retries and bots' further clicks
/// wait in a priority queue by due time. Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps. The lock is
/// held for a few hundred nanoseconds per request.
/// </summary>
internal sealed class CrowdSchedule
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<int, long> _due = new();
    private readonly int _users;
    private readonly long _start;
    private readonly double _ticksPerArrival;
    private readonly long _maxIdleWait;
    private int _nextFresh;
    private int _inFlight;
    private bool _stopped;

    /// <param name="users">How many buyers arrive.</param>
    /// <param name="start">Timestamp of the sale's start: the first arrival.</param>
    /// <param name="arrivalsPerSecond">Open loop rate, or null for a closed loop.</param>
    /// <param name="frequency">Timestamp ticks per second.</param>
    public CrowdSchedule(int users, long start, double? arrivalsPerSecond, long frequency)
    {
        _users = users;
        _start = start;
        _ticksPerArrival = arrivalsPerSecond is { } rate ? frequency / rate : 0;
        _maxIdleWait = frequency / 20;
    }

    /// <summary>Buyers that never clicked (the run stopped first).</summary>
    public int NeverArrived
    {
        get
        {
            lock (_gate) return _users - _nextFresh;
        }
    }

    /// <summary>Buyers waiting to retry or click again when the run stopped.</summary>
    public int StillWaiting
    {
        get
        {
            lock (_gate) return _due.Count;
        }
    }

    /// <summary>
    /// Takes the next due buyer at <paramref name="now"/>: true with the buyer and the time it meant to click;
    /// false with a wait (ticks) before asking again, or with <paramref name="finished"/> when nothing is left.
    /// </summary>
    public bool TryTake(long now, out int buyer, out long intended, out long wait, out bool finished)
    {
        lock (_gate)
        {
            finished = false;
            wait = 0;
            var hasDue = _due.TryPeek(out var dueBuyer, out var due);
            var freshLeft = !_stopped && _nextFresh < _users;
            // Closed loop: the next fresh buyer is due as soon as the sale is open; open loop: at its arrival time.
            var freshAt = !freshLeft
                ? long.MaxValue
                : _ticksPerArrival == 0 ? Math.Max(_start, now) : _start + (long)(_nextFresh * _ticksPerArrival);
            if (!_stopped)
            {
                // Whichever was due first goes first: a waiting retry, or the next arrival.
                if (hasDue && due <= now && due <= freshAt)
                {
                    _due.Dequeue();
                    (buyer, intended) = (dueBuyer, due);
                    _inFlight++;
                    return true;
                }

                if (freshAt <= now)
                {
                    (buyer, intended) = (_nextFresh++, freshAt);
                    _inFlight++;
                    return true;
                }
            }

            (buyer, intended) = (-1, 0);
            var next = Math.Min(hasDue && !_stopped ? due : long.MaxValue, freshAt);
            if (next == long.MaxValue && _inFlight == 0)
            {
                finished = true;
                return false;
            }

            // Wake up for the next due time, or soon in case a request in flight schedules something earlier.
            wait = Math.Clamp(next - now, 1, _maxIdleWait);
            return false;
        }
    }

    /// <summary>
    /// A taken buyer's request is answered: it clicks again at <paramref name="nextDue"/>, or is done (null).
    /// </summary>
    public void Complete(int buyer, long? nextDue)
    {
        lock (_gate)
        {
            _inFlight--;
            if (nextDue is { } due) _due.Enqueue(buyer, due);
        }
    }

    /// <summary>Stops handing out buyers (the duration is over); requests in flight finish.</summary>
    public void Stop()
    {
        lock (_gate) _stopped = true;
    }
}
