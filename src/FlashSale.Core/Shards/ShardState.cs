using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;

namespace FlashSale.Core.Shards;

/// <summary>
/// The shard state machine: the decisions for the buyers that hash to one shard, over every sale. Single-threaded
/// and deterministic: time comes in with each command, I/O goes out through <see cref="IShardEventSink"/> and
/// <see cref="IStockSource"/>. Every change is made by emitting a <see cref="ShardEvent"/> and applying it with
/// <see cref="Apply"/>, the same method replay uses, so a replayed journal reaches exactly the live state.
/// </summary>
public sealed partial class ShardState
{
    private readonly Dictionary<string, SaleShardState> _sales = new(StringComparer.Ordinal);
    private readonly List<ReservationEntry> _reservations = [];
    private readonly Dictionary<string, int> _reservationIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<RequestKey, RememberedAnswer> _answers = [];
    private readonly PriorityQueue<int, long> _holds = new();
    private long _nextSequence = 1;

    /// <summary>Creates the empty state of shard <paramref name="shardIndex"/>.</summary>
    public ShardState(int shardIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ShardIndex = shardIndex;
    }

    /// <summary>This shard's index; it prefixes the reservation ids it makes.</summary>
    public int ShardIndex { get; }

    /// <summary>Reservations ever made on this shard.</summary>
    internal int ReservationCount => _reservations.Count;

    /// <summary>
    /// Decides a purchase attempt of <paramref name="userId"/> for item <paramref name="itemIndex"/> of
    /// <paramref name="sale"/> at <paramref name="nowMs"/>. Returns <see cref="Outcome.WaitingForStock"/>, having
    /// changed nothing, when only other shards hold units; the caller retries once units have moved. A requestId
    /// already answered gets its first answer again, or <see cref="Outcome.RequestIdReused"/> (nothing decided,
    /// nothing recorded) when that answer was for another item.
    /// </summary>
    public Decision Decide(Sale sale, int itemIndex, string userId, string? requestId, long nowMs, IStockSource stock,
        IShardEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sale);
        ArgumentNullException.ThrowIfNull(stock);
        if (requestId is not null && _answers.TryGetValue(new RequestKey(sale.Id, userId, requestId), out var earlier))
        {
            return earlier.IsFor(itemIndex) ? earlier.Decision : Decision.Of(Outcome.RequestIdReused);
        }

        // Precedence of the contract: the sale's own state, then eligibility, then limit and stock.
        if (sale.IsNotStarted(nowMs)) return Decision.Of(Outcome.NotStarted);
        if (sale.IsEnded(nowMs)) return Decision.Of(Outcome.Ended);
        if (!sale.IsEligible(userId)) return Decision.Of(Outcome.NotEligible);

        var state = SaleStateOf(sale.Id);
        state.EnsureItems(sale.ItemCount);
        if (state.Buyers.TryGetValue(userId, out var buyer) && buyer.Live >= sale.Definition.PerUserLimit)
        {
            return Answer(sale.Id, userId, requestId, itemIndex, Outcome.LimitReached, sink);
        }

        if (state.Local[itemIndex] == 0)
        {
            var taken = stock.Take(sale, itemIndex);
            if (taken == IStockSource.HeldElsewhere) return Decision.Of(Outcome.WaitingForStock);
            if (taken <= 0) return Answer(sale.Id, userId, requestId, itemIndex, Outcome.SoldOut, sink);
            Emit(ShardEvent.StockTaken(sale.Id, itemIndex, taken), sink);
        }

        var sequence = _nextSequence;
        var reservation = new Reservation(
            Reservation.MakeId(ShardIndex, sequence),
            sale.Id,
            sale.Definition.Items[itemIndex].Id,
            userId,
            1,
            DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
            DateTimeOffset.FromUnixTimeMilliseconds(nowMs + (sale.Definition.HoldSeconds * 1000L)),
            ReservationStatus.Held);
        Emit(ShardEvent.ReservationMade(reservation, itemIndex, sequence, requestId), sink);
        return new Decision(Outcome.Won, reservation);
    }

    /// <summary>
    /// Confirms a reservation (the store placed the order). A hold already due expires first and is refused.
    /// </summary>
    public ReservationChange Confirm(string reservationId, long nowMs, IShardEventSink sink,
        ICollection<FreedUnit> freed)
    {
        if (!TryFindDue(reservationId, nowMs, sink, freed, out var index))
        {
            return new ReservationChange(ChangeResult.NotFound, null);
        }
        var current = _reservations[index].Reservation;
        switch (current.Status)
        {
            case ReservationStatus.Held:
                Emit(ShardEvent.StatusChanged(ShardEventKind.ReservationConfirmed, reservationId, nowMs), sink);
                return new ReservationChange(ChangeResult.Ok, _reservations[index].Reservation);
            case ReservationStatus.Confirmed:
                return new ReservationChange(ChangeResult.Ok, current);
            default:
                return new ReservationChange(ChangeResult.Conflict, current);
        }
    }

    /// <summary>
    /// Cancels a held reservation, freeing its unit. Cancelling a cancelled or expired one changes nothing; a
    /// confirmed one is refused.
    /// </summary>
    public ReservationChange Cancel(string reservationId, long nowMs, IShardEventSink sink,
        ICollection<FreedUnit> freed)
    {
        ArgumentNullException.ThrowIfNull(freed);
        if (!TryFindDue(reservationId, nowMs, sink, freed, out var index))
        {
            return new ReservationChange(ChangeResult.NotFound, null);
        }
        var entry = _reservations[index];
        switch (entry.Reservation.Status)
        {
            case ReservationStatus.Held:
                Emit(ShardEvent.StatusChanged(ShardEventKind.ReservationCancelled, reservationId, nowMs), sink);
                freed.Add(new FreedUnit(entry.Reservation.SaleId, entry.ItemIndex));
                return new ReservationChange(ChangeResult.Ok, _reservations[index].Reservation);
            case ReservationStatus.Confirmed:
                return new ReservationChange(ChangeResult.Conflict, entry.Reservation);
            default:
                return new ReservationChange(ChangeResult.Ok, entry.Reservation);
        }
    }

    /// <summary>Expires every hold due by <paramref name="nowMs"/>. Returns how many expired.</summary>
    public int ExpireDue(long nowMs, IShardEventSink sink, ICollection<FreedUnit> freed)
    {
        ArgumentNullException.ThrowIfNull(freed);
        var expired = 0;
        while (_holds.TryPeek(out var index, out var holdUntil) && holdUntil <= nowMs)
        {
            _holds.Dequeue();
            var entry = _reservations[index];
            if (entry.Reservation.Status != ReservationStatus.Held) continue;
            Emit(ShardEvent.StatusChanged(ShardEventKind.ReservationExpired, entry.Reservation.Id, nowMs), sink);
            freed.Add(new FreedUnit(entry.Reservation.SaleId, entry.ItemIndex));
            expired++;
        }

        return expired;
    }

    /// <summary>The earliest holdUntil of a live hold, if any (tests check that replay rebuilds the holds).</summary>
    internal long? NextHoldDueMs
    {
        get
        {
            while (_holds.TryPeek(out var index, out var holdUntil))
            {
                if (_reservations[index].Reservation.Status == ReservationStatus.Held) return holdUntil;
                _holds.Dequeue();
            }

            return null;
        }
    }

    /// <summary>Gives every unsold unit of an item this shard holds back to the pool. Returns how many.</summary>
    public int Release(string saleId, int itemIndex, IShardEventSink sink)
    {
        if (!_sales.TryGetValue(saleId, out var state) || state.Local.Length <= itemIndex) return 0;
        var units = state.Local[itemIndex];
        if (units > 0) Emit(ShardEvent.StockReturned(saleId, itemIndex, units), sink);
        return units;
    }

    private bool TryFindDue(string reservationId, long nowMs, IShardEventSink sink, ICollection<FreedUnit> freed,
        out int index)

    {
        ArgumentNullException.ThrowIfNull(freed);
        if (!_reservationIndex.TryGetValue(reservationId, out index)) return false;
        var entry = _reservations[index];
        if (entry.Reservation.Status == ReservationStatus.Held && entry.HoldUntilMs <= nowMs)
        {
            Emit(ShardEvent.StatusChanged(ShardEventKind.ReservationExpired, reservationId, nowMs), sink);
            freed.Add(new FreedUnit(entry.Reservation.SaleId, entry.ItemIndex));
        }

        return true;
    }

    private Decision Answer(
        string saleId, string userId, string? requestId, int itemIndex, Outcome outcome, IShardEventSink sink)
    {
        if (requestId is not null)
        {
            Emit(ShardEvent.AttemptAnswered(saleId, userId, requestId, itemIndex, outcome), sink);
        }

        return Decision.Of(outcome);
    }

    private void Emit(in ShardEvent shardEvent, IShardEventSink sink)
    {
        sink.Append(shardEvent);
        Apply(shardEvent);
    }

    private SaleShardState SaleStateOf(string saleId)
    {
        if (!_sales.TryGetValue(saleId, out var state))
        {
            state = new SaleShardState();
            _sales.Add(saleId, state);
        }

        return state;
    }
}
