using FlashSale.Core.Sales;

namespace FlashSale.Server.Admission;

/// <summary>
/// One sale's fair waiting room. Before the start, buyers in the pre-queue window get tickets in no order; at the
/// start the pre-queue is put in the order drawn from the sale's seed (<see cref="QueueOrder"/>) and admitted
/// <see cref="WaitingRoomSettings.AdmitPerSecond"/> a second; later arrivals queue behind it in arrival order. A
/// buyer has one place (found again by its id, or by its ticket after a restart). Time is an argument, so the room
/// is deterministic: admission advances whenever the room is asked, by the time that passed since it last was.
/// </summary>
internal sealed class WaitingRoom
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<QueueEntry> _preQueue = [];
    private readonly List<QueueEntry> _order = [];
    private readonly WaitingRoomSettings _settings;
    private readonly long _startsAtMs;
    private bool _drawn;
    private int _head;
    private double _permits;
    private long _pumpedAtMs;

    /// <summary>A room for a sale starting at <paramref name="startsAtMs"/>, opened at <paramref name="nowMs"/>
    /// (admission counts from the later of both, so a room rebuilt after a restart admits no backlog at once).
    /// </summary>
    public WaitingRoom(WaitingRoomSettings settings, long startsAtMs, long nowMs)
    {
        _settings = settings;
        _startsAtMs = startsAtMs;
        _pumpedAtMs = Math.Max(startsAtMs, nowMs);
    }

    public WaitingRoomSettings Settings => _settings;

    public long StartsAtMs => _startsAtMs;

    /// <summary>When the pre-queue opens (Unix ms).</summary>
    public long OpensAtMs => _startsAtMs - (_settings.PreQueueSeconds * 1000L);

    /// <summary>Buyers admitted so far (since this room was opened).</summary>
    public int Admitted
    {
        get
        {
            lock (_gate) return _head;
        }
    }

    /// <summary>Buyers holding a ticket and not yet admitted.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _drawn ? _order.Count - _head : _preQueue.Count;
        }
    }

    /// <summary>
    /// The buyer's place, taking a ticket first if it has none. <paramref name="ticketArrivalMs"/> is the arrival a
    /// valid ticket of an earlier visit records (a room rebuilt after a restart places it where it was).
    /// </summary>
    public WaitingPlace Enter(string userId, long? ticketArrivalMs, long nowMs)
    {
        lock (_gate)
        {
            Pump(nowMs);
            if (!_entries.TryGetValue(userId, out var entry))
            {
                var arrival = ticketArrivalMs is { } ticket && ticket >= OpensAtMs && ticket <= nowMs ? ticket : nowMs;
                entry = Add(userId, arrival);
            }
            else if (entry.GrantExpiresMs != 0 && nowMs >= entry.GrantExpiresMs)
            {
                // Its turn came and went unused: to the back, as a new arrival (the old entry stays, admitted).
                entry = Add(userId, nowMs);
            }

            return PlaceOf(entry, nowMs);
        }
    }

    /// <summary>The buyers, in the order they are (or were) admitted, from the start on; empty before it.</summary>
    public List<string> Order()
    {
        lock (_gate) return _order.ConvertAll(entry => entry.UserId);
    }

    private QueueEntry Add(string userId, long arrivalMs)
    {
        var entry = new QueueEntry(userId, arrivalMs < _startsAtMs, arrivalMs, QueueOrder.Draw(_settings.Seed, userId));
        _entries[userId] = entry;
        if (!_drawn)
        {
            _preQueue.Add(entry);
            return entry;
        }

        var count = _order.Count;
        if (count == 0 || QueueOrder.Compare(_order[count - 1], entry) < 0)
        {
            _order.Add(entry);
            return entry;
        }

        // A ticket from before a restart: its place among the others; if that place was already passed, next.
        var index = _order.BinarySearch(entry, QueueOrder.Comparer);
        _order.Insert(Math.Max(~index, _head), entry);
        return entry;
    }

    private void Pump(long nowMs)
    {
        if (nowMs < _startsAtMs) return;
        if (!_drawn)
        {
            _preQueue.Sort(QueueOrder.Compare);
            _order.AddRange(_preQueue);
            _preQueue.Clear();
            _drawn = true;
        }

        if (nowMs <= _pumpedAtMs) return;
        var rate = (double)_settings.AdmitPerSecond;
        _permits += (nowMs - _pumpedAtMs) * rate / 1000;
        _pumpedAtMs = nowMs;
        var admit = (int)Math.Min(_order.Count - _head, Math.Floor(_permits));
        _head += admit;
        _permits -= admit;

        // An empty queue saves up at most a second of admissions for whoever comes next.
        if (_head == _order.Count) _permits = Math.Min(_permits, rate);
    }

    private WaitingPlace PlaceOf(QueueEntry entry, long nowMs)
    {
        if (!_drawn)
        {
            return new WaitingPlace(false, null, _startsAtMs - nowMs, entry.ArrivalMs, entry.Early, 0);
        }

        var index = _order.Count > 0 && ReferenceEquals(_order[^1], entry)
            ? _order.Count - 1
            : _order.BinarySearch(entry, QueueOrder.Comparer);
        if (index < _head)
        {
            if (entry.GrantExpiresMs == 0) entry.GrantExpiresMs = nowMs + (_settings.GrantSeconds * 1000L);
            return new WaitingPlace(true, 0, 0, entry.ArrivalMs, entry.Early, entry.GrantExpiresMs);
        }

        var position = index - _head;
        var eta = (long)Math.Ceiling(Math.Max(0, position + 1 - _permits) * 1000 / _settings.AdmitPerSecond);
        return new WaitingPlace(false, position, eta, entry.ArrivalMs, entry.Early, 0);
    }
}
