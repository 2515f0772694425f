using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;

namespace FlashSale.Core.Shards;

public sealed partial class ShardState
{
    /// <summary>
    /// Applies one recorded change: live decisions and journal replay both come through here. Throws
    /// <see cref="InvalidDataException"/> for a change that cannot follow the current state (a journal that does
    /// not belong to this state).
    /// </summary>
    public void Apply(in ShardEvent e)
    {
        switch (e.Kind)
        {
            case ShardEventKind.StockTaken:
                {
                    var state = ItemState(e.SaleId, e.ItemIndex);
                    Check(e.Quantity > 0, "stock taken must be positive");
                    state.Local[e.ItemIndex] += e.Quantity;
                    state.NetTaken[e.ItemIndex] += e.Quantity;
                    break;
                }

            case ShardEventKind.StockReturned:
                {
                    var state = ItemState(e.SaleId, e.ItemIndex);
                    Check(e.Quantity > 0 && state.Local[e.ItemIndex] >= e.Quantity,
                        "stock returned exceeds the shard's units");
                    state.Local[e.ItemIndex] -= e.Quantity;
                    state.NetTaken[e.ItemIndex] -= e.Quantity;
                    break;
                }

            case ShardEventKind.ReservationMade:
                {
                    var reservation = e.Reservation ?? throw new InvalidDataException("reservation missing");
                    var state = ItemState(reservation.SaleId, e.ItemIndex);
                    Check(state.Local[e.ItemIndex] > 0, "reservation made without a unit in the shard");
                    Check(!_reservationIndex.ContainsKey(reservation.Id), "duplicate reservation id");
                    state.Local[e.ItemIndex]--;
                    state.Held[e.ItemIndex]++;
                    state.Made[e.ItemIndex]++;
                    var index = _reservations.Count;
                    _reservations.Add(new ReservationEntry
                    {
                        Reservation = reservation,
                        ItemIndex = e.ItemIndex,
                        Sequence = e.Sequence,
                        RequestId = e.RequestId,
                        HoldUntilMs = reservation.HoldUntil.ToUnixTimeMilliseconds(),
                        StatusAtMs = reservation.CreatedAt.ToUnixTimeMilliseconds(),
                    });
                    _reservationIndex.Add(reservation.Id, index);
                    state.Reservations.Add(index);
                    if (!state.Buyers.TryGetValue(reservation.UserId, out var buyer))
                    {
                        buyer = new BuyerState();
                        state.Buyers.Add(reservation.UserId, buyer);
                    }

                    buyer.Live++;
                    buyer.Reservations.Add(index);
                    if (e.RequestId is not null)
                    {
                        var key = AnswerKey.Of(reservation.UserId, e.RequestId);
                        AnswersOf(reservation.SaleId).Set(key, new RememberedAnswer(Outcome.Won, e.ItemIndex));
                    }

                    _holds.Enqueue(index, _reservations[index].HoldUntilMs);
                    _nextSequence = Math.Max(_nextSequence, e.Sequence + 1);
                    break;
                }

            case ShardEventKind.AttemptAnswered:
                Check(e.SaleId is not null && e.UserId is not null && e.RequestId is not null,
                    "answer without its keys");
                Check(e.ItemIndex is >= ShardEvent.AnyItem and < 1000, "answer for an invalid item");
                AnswersOf(e.SaleId!).Set(
                    AnswerKey.Of(e.UserId!, e.RequestId!), new RememberedAnswer(e.Outcome, e.ItemIndex));
                break;

            case ShardEventKind.AnswerRemembered:
                Check(e.SaleId is not null && e.Outcome.IsRemembered() && e.Outcome != Outcome.Won,
                    "remembered answer without its sale or with an outcome never remembered so");
                Check(e.ItemIndex is >= ShardEvent.AnyItem and < 1000, "answer for an invalid item");
                AnswersOf(e.SaleId!).Set(e.Key, new RememberedAnswer(e.Outcome, e.ItemIndex));
                break;

            case ShardEventKind.ReservationConfirmed:
                ChangeStatus(e, ReservationStatus.Confirmed);
                break;
            case ShardEventKind.ReservationCancelled:
                ChangeStatus(e, ReservationStatus.Cancelled);
                break;
            case ShardEventKind.ReservationExpired:
                ChangeStatus(e, ReservationStatus.Expired);
                break;
            default:
                throw new InvalidDataException($"unknown shard event kind {(int)e.Kind}");
        }
    }

    private void ChangeStatus(in ShardEvent e, ReservationStatus status)
    {
        if (e.ReservationId is null || !_reservationIndex.TryGetValue(e.ReservationId, out var index))
        {
            throw new InvalidDataException($"status change of unknown reservation '{e.ReservationId}'");
        }

        var entry = _reservations[index];
        Check(entry.Reservation.Status == ReservationStatus.Held, "status change of a reservation that is not held");
        var state = _sales[entry.Reservation.SaleId];
        state.Held[entry.ItemIndex]--;
        if (status == ReservationStatus.Confirmed)
        {
            state.Confirmed[entry.ItemIndex]++;
        }
        else
        {
            // Cancelled and expired units go back to the pool.
            state.NetTaken[entry.ItemIndex]--;
            state.Buyers[entry.Reservation.UserId].Live--;
            if (_answers.TryGetValue(entry.Reservation.SaleId, out var answers))
            {
                answers.SetAtLimit(entry.Reservation.UserId, false);
            }
        }

        entry.Reservation = entry.Reservation with { Status = status };
        entry.StatusAtMs = e.AtMs;
        _reservations[index] = entry;
    }

    private SaleShardState ItemState(string? saleId, int itemIndex)
    {
        if (saleId is null || itemIndex < 0 || itemIndex >= 1000)
        {
            throw new InvalidDataException("event without a valid sale and item");
        }
        var state = SaleStateOf(saleId);
        state.EnsureItems(itemIndex + 1);
        return state;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new InvalidDataException(message);
    }
}
