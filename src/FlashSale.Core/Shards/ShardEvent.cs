using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;

namespace FlashSale.Core.Shards;

/// <summary>
/// One state change of a shard: what the journal stores and what replay applies. A flat value (no allocation
/// beyond the reservation itself) so the decision path stays cheap. Build with the static factories.
/// </summary>
/// <param name="Kind">Which change.</param>
/// <param name="SaleId">The sale (all kinds but status changes).</param>
/// <param name="ItemIndex">
/// The item's index in its sale (stock moves, reservations, remembered answers; -1 for an answer journaled before
/// answers named their item).
/// </param>
/// <param name="Quantity">Units moved (stock moves).</param>
/// <param name="UserId">The buyer (<see cref="ShardEventKind.AttemptAnswered"/>).</param>
/// <param name="RequestId">The buyer's requestId, when given.</param>
/// <param name="Outcome">The remembered outcome (<see cref="ShardEventKind.AttemptAnswered"/>).</param>
/// <param name="Reservation">The reservation made (<see cref="ShardEventKind.ReservationMade"/>).</param>
/// <param name="Sequence">
/// The reservation's sequence number in its shard (<see cref="ShardEventKind.ReservationMade"/>).
/// </param>
/// <param name="ReservationId">The reservation changed (status changes).</param>
/// <param name="AtMs">When the status changed, Unix milliseconds (status changes).</param>
/// <param name="Key">The remembered answer's key (<see cref="ShardEventKind.AnswerRemembered"/>).</param>
public readonly record struct ShardEvent(
    ShardEventKind Kind,
    string? SaleId,
    int ItemIndex,
    int Quantity,
    string? UserId,
    string? RequestId,
    Outcome Outcome,
    Reservation? Reservation,
    long Sequence,
    string? ReservationId,
    long AtMs,
    AnswerKey Key = default)
{
    /// <summary>
    /// The <see cref="ItemIndex"/> of a <see cref="ShardEventKind.AttemptAnswered"/> journaled before answers named
    /// their item: such an answer is given again for a repeat of its requestId whatever the item.
    /// </summary>
    public const int AnyItem = -1;

    /// <summary>Units moved from the pool into the shard.</summary>
    public static ShardEvent StockTaken(string saleId, int itemIndex, int quantity) =>
        new(ShardEventKind.StockTaken, saleId, itemIndex, quantity, null, null, default, null, 0, null, 0);

    /// <summary>Units moved from the shard back into the pool.</summary>
    public static ShardEvent StockReturned(string saleId, int itemIndex, int quantity) =>
        new(ShardEventKind.StockReturned, saleId, itemIndex, quantity, null, null, default, null, 0, null, 0);

    /// <summary>A reservation was won.</summary>
    public static ShardEvent ReservationMade(
        Reservation reservation, int itemIndex, long sequence, string? requestId) =>
        new(ShardEventKind.ReservationMade, reservation.SaleId, itemIndex, reservation.Quantity, reservation.UserId,
            requestId, Outcome.Won, reservation, sequence, reservation.Id, 0);

    /// <summary>A decision that took nothing, remembered for its requestId and the item it was for.</summary>
    public static ShardEvent AttemptAnswered(
        string saleId, string userId, string requestId, int itemIndex, Outcome outcome) =>
        new(ShardEventKind.AttemptAnswered, saleId, itemIndex, 0, userId, requestId, outcome, null, 0, null, 0);

    /// <summary>A decision that took nothing, remembered under its key for the item it was for.</summary>
    public static ShardEvent AnswerRemembered(string saleId, AnswerKey key, int itemIndex, Outcome outcome) =>
        new(ShardEventKind.AnswerRemembered, saleId, itemIndex, 0, null, null, outcome, null, 0, null, 0, key);

    /// <summary>A status change of a reservation (confirmed, cancelled, expired).</summary>
    public static ShardEvent StatusChanged(ShardEventKind kind, string reservationId, long atMs) =>
        new(kind, null, 0, 0, null, null, default, null, 0, reservationId, atMs);
}
