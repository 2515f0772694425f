namespace FlashSale.Crowd;

/// <summary>
/// Hands the next buyer to a free worker (one worker per connection). Fresh buyers arrive as fast as workers take them
/// (closed loop) or at a fixed rate (open loop: the k-th is due at start + k / rate); early buyers (bots firing before
/// the start) are all due at one instant; retries and bots' further clicks wait in a priority queue by due time.
/// Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps. The lock is held for a few hundred nanoseconds
/// per request.
/// </summary>
internal sealed class CrowdSchedule
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<int, long> _due = new();
    private readonly int _users;
    private readonly long _start;
    private readonly double _ticksPerArrival;
    private readonly long _maxIdleWait;
    private readonly Func<int, bool>? _early;
    private readonly bool[] _earlyTaken;
    private int _earlyUntaken;
    private int _nextFresh;
    private int _freshTaken;
    private int _inFlight;
    private bool _stopped;

    /// <param name="users">How many buyers arrive.</param>
    /// <param name="start">Timestamp of the first fresh arrival.</param>
    /// <param name="arrivalsPerSecond">Open loop rate, or null for a closed loop.</param>
    /// <param name="frequency">Timestamp ticks per second.</param>
    /// <param name="early">Which buyers arrive early, all at <paramref name="earlyAt"/>, instead of in turn.</param>
    /// <param name="earlyAt">Timestamp of the early buyers' first click.</param>
    public CrowdSchedule(
        int users, long start, double? arrivalsPerSecond, long frequency, Func<int, bool>? early = null,
        long earlyAt = 0)
    {
        _users = users;
        _start = start;
        _ticksPerArrival = arrivalsPerSecond is { } rate ? frequency / rate : 0;
        _maxIdleWait = frequency / 20;
        _early = early;
        _earlyTaken = early is null ? [] : new bool[users];
        if (early is null) return;
        for (var i = 0; i < users; i++)
        {
            if (!early(i)) continue;
            _due.Enqueue(i, earlyAt);
            _earlyUntaken++;
        }
    }

    /// <summary>Buyers that never clicked (the run stopped first).</summary>
    public int NeverArrived
    {
        get
        {
            lock (_gate) return FreshLeft() + _earlyUntaken;
        }
    }

    /// <summary>Buyers waiting to retry or click again when the run stopped.</summary>
    public int StillWaiting
    {
        get
        {
            lock (_gate) return _due.Count - _earlyUntaken;
        }
    }

    /// <summary>
    /// Takes the buyer due next if one is due at <paramref name="now"/>; otherwise says how long to wait, or that the
    /// run is finished (nothing left and nothing in flight).
    /// </summary>
    public bool TryTake(long now, out int buyer, out long intended, out long wait, out bool finished)
    {
        lock (_gate)
        {
            finished = false;
            wait = 0;
            SkipEarly();
            var hasDue = _due.TryPeek(out var dueBuyer, out var due);
            var freshLeft = !_stopped && _nextFresh < _users;
            // Closed loop: the next fresh buyer is due as soon as the sale is open; open loop: at its arrival time.
            var freshAt = !freshLeft
                ? long.MaxValue
                : _ticksPerArrival == 0 ? Math.Max(_start, now) : _start + (long)(_freshTaken * _ticksPerArrival);
            if (!_stopped)
            {
                // Whichever was due first goes first: a waiting retry, or the next arrival.
                if (hasDue && due <= now && due <= freshAt)
                {
                    _due.Dequeue();
                    if (_early is not null && !_earlyTaken[dueBuyer] && _early(dueBuyer))
                    {
                        _earlyTaken[dueBuyer] = true;
                        _earlyUntaken--;
                    }

                    (buyer, intended) = (dueBuyer, due);
                    _inFlight++;
                    return true;
                }

                if (freshAt <= now)
                {
                    (buyer, intended) = (_nextFresh++, freshAt);
                    _freshTaken++;
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

    /// <summary>A worker is done with <paramref name="buyer"/>, which clicks again at <paramref name="nextDue"/>
    /// (null: it is done).</summary>
    public void Complete(int buyer, long? nextDue)
    {
        lock (_gate)
        {
            _inFlight--;
            if (nextDue is { } due) _due.Enqueue(buyer, due);
        }
    }

    /// <summary>No more clicks: workers finish what they sent and stop.</summary>
    public void Stop()
    {
        lock (_gate) _stopped = true;
    }

    /// <summary>Early buyers are not fresh: the fresh sequence steps over them.</summary>
    private void SkipEarly()
    {
        if (_early is null) return;
        while (_nextFresh < _users && _early(_nextFresh)) _nextFresh++;
    }

    private int FreshLeft()
    {
        if (_early is null) return _users - _nextFresh;
        var left = 0;
        for (var i = _nextFresh; i < _users; i++)
        {
            if (!_early(i)) left++;
        }

        return left;
    }
}
