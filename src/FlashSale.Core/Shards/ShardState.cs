using System.Collections.Concurrent;
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

    // Shared with the edge, which reads and claims answers from other threads: the one concurrent part of the state.
    private readonly ConcurrentDictionary<string, SaleAnswers> _answers = new(StringComparer.Ordinal);
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
        if (requestId is null) return Decide(sale, itemIndex, userId, null, default, null, nowMs, stock, sink);

        // Claim the key while deciding it, so that the edge cannot answer it meanwhile; a key already claimed has
        // its first answer.
        var answers = AnswersOf(sale.Id);
        var key = AnswerKey.Of(userId, requestId);
        if (!answers.TryClaim(key, RememberedAnswer.Deciding(itemIndex), out var earlier))
        {
            return Repeat(sale.Id, userId, requestId, itemIndex, earlier);
        }

        var decision = Decide(sale, itemIndex, userId, requestId, key, answers, nowMs, stock, sink);
        if (!decision.Outcome.IsRemembered()) answers.Unmark(key);
        return decision;
    }

    /// <summary>
    /// The answers remembered for a sale on this shard, which the edge may read and claim from any thread.
    /// </summary>
    public SaleAnswers AnswersOf(string saleId) => _answers.GetOrAdd(saleId, static _ => new SaleAnswers());

    /// <summary>The answers remembered for a sale on this shard, if any: safe from any thread, creates none.</summary>
    public SaleAnswers? FindAnswers(string saleId) => _answers.GetValueOrDefault(saleId);

    /// <summary>
    /// Forgets every answer remembered for a sale (its retention passed): a repeat is then decided as a new attempt,
    /// which for an ended sale is <c>ended</c>. Reservations stay. Returns how many answers were dropped.
    /// </summary>
    public int ForgetAnswers(string saleId) => _answers.TryRemove(saleId, out var dropped) ? dropped.Count : 0;

    private Decision Decide(Sale sale, int itemIndex, string userId, string? requestId, AnswerKey key,
        SaleAnswers? answers, long nowMs, IStockSource stock, IShardEventSink sink)
    {
        // Precedence of the contract: the sale's own state, then eligibility, then limit and stock.
        if (sale.IsNotStarted(nowMs)) return Decision.Of(Outcome.NotStarted);
        if (sale.IsEnded(nowMs)) return Decision.Of(Outcome.Ended);
        if (!sale.IsEligible(userId)) return Decision.Of(Outcome.NotEligible);

        var state = SaleStateOf(sale.Id);
        state.EnsureItems(sale.ItemCount);
        var limit = sale.Definition.PerUserLimit;
        if (state.Buyers.TryGetValue(userId, out var buyer) && buyer.Live >= limit)
        {
            // Learned here after a restart; from now on the edge answers this buyer's new attempts itself.
            (answers ?? AnswersOf(sale.Id)).SetAtLimit(userId, true);
            return Answer(sale.Id, key, answers, itemIndex, Outcome.LimitReached, sink);
        }

        if (state.Local[itemIndex] == 0)
        {
            var taken = stock.Take(sale, itemIndex);
            if (taken == IStockSource.HeldElsewhere) return Decision.Of(Outcome.WaitingForStock);
            if (taken <= 0) return Answer(sale.Id, key, answers, itemIndex, Outcome.SoldOut, sink);
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
        if (state.Buyers[userId].Live >= limit) (answers ?? AnswersOf(sale.Id)).SetAtLimit(userId, true);
        return new Decision(Outcome.Won, reservation);
    }

    /// <summary>The first answer to a requestId again; request_id_reused when it was for another item.</summary>
    private Decision Repeat(string saleId, string userId, string requestId, int itemIndex, RememberedAnswer earlier)
    {
        if (!earlier.IsFor(itemIndex)) return Decision.Of(Outcome.RequestIdReused);
        if (earlier.Outcome != Outcome.Won) return Decision.Of(earlier.Outcome);

        // A win is answered with its reservation as it was first given (held), found by its requestId among the
        // buyer's reservations.
        if (_sales.TryGetValue(saleId, out var state) && state.Buyers.TryGetValue(userId, out var buyer))
        {
            foreach (var index in buyer.Reservations)
            {
                var entry = _reservations[index];
                if (entry.RequestId != requestId) continue;
                var reservation = entry.Reservation;
                return new Decision(Outcome.Won, reservation.Status == ReservationStatus.Held
                    ? reservation
                    : reservation with { Status = ReservationStatus.Held });
            }
        }

        // Only a crafted hash collision with another buyer's requestId gets here: that key is taken.
        return Decision.Of(Outcome.RequestIdReused);
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

    private Decision Answer(string saleId, AnswerKey key, SaleAnswers? answers, int itemIndex, Outcome outcome,
        IShardEventSink sink)
    {
        if (answers is not null) Emit(ShardEvent.AnswerRemembered(saleId, key, itemIndex, outcome), sink);
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
