using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;

namespace FlashSale.Core.Shards;

public sealed partial class ShardState
{
    /// <summary>
    /// Writes the whole state as a short sequence of events that rebuilds it when applied to an empty shard: a
    /// snapshot is a compacted journal, read back by the same replay. Changes nothing.
    /// </summary>
    public void WriteSnapshot(IShardEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var (saleId, state) in _sales)
        {
            for (var i = 0; i < state.Local.Length; i++)
            {
                // Every unit that was ever made into a reservation passed through the shard, plus those still here.
                var units = state.Local[i] + state.Made[i];
                if (units > 0) sink.Append(ShardEvent.StockTaken(saleId, i, units));
            }
        }

        foreach (var entry in _reservations)
        {
            var made = entry.Reservation.Status == ReservationStatus.Held
                ? entry.Reservation
                : entry.Reservation with { Status = ReservationStatus.Held };
            sink.Append(ShardEvent.ReservationMade(made, entry.ItemIndex, entry.Sequence, entry.RequestId));
        }

        foreach (var entry in _reservations)
        {
            var kind = entry.Reservation.Status switch
            {
                ReservationStatus.Confirmed => ShardEventKind.ReservationConfirmed,
                ReservationStatus.Cancelled => ShardEventKind.ReservationCancelled,
                ReservationStatus.Expired => ShardEventKind.ReservationExpired,
                _ => (ShardEventKind)0,
            };
            if (kind != 0) sink.Append(ShardEvent.StatusChanged(kind, entry.Reservation.Id, entry.StatusAtMs));
        }

        // Refusals, including those the edge answered; wins come back with their reservations.
        foreach (var (saleId, answers) in _answers)
        {
            foreach (var (key, answer) in answers.Decided())
            {
                if (answer.Outcome == Outcome.Won) continue;
                sink.Append(ShardEvent.AnswerRemembered(saleId, key, answer.ItemIndex, answer.Outcome));
            }
        }
    }
}
