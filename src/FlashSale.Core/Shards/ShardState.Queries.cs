using System.Globalization;
using System.Text;
using FlashSale.Core.Reservations;

namespace FlashSale.Core.Shards;

public sealed partial class ShardState
{
    /// <summary>The ids of the sales this shard has state for.</summary>
    public IEnumerable<string> SaleIds => _sales.Keys;

    /// <summary>Unit counters of one item on this shard (zeros when the shard never touched it).</summary>
    public ItemCounts CountsOf(string saleId, int itemIndex)
    {
        if (!_sales.TryGetValue(saleId, out var state) || state.Local.Length <= itemIndex) return default;
        return new ItemCounts(state.Local[itemIndex], state.Held[itemIndex], state.Confirmed[itemIndex],
            state.NetTaken[itemIndex], state.Made[itemIndex]);
    }

    /// <summary>Live reservations (held or confirmed) of a buyer in a sale.</summary>
    internal int LiveReservationsOf(string saleId, string userId) =>
        _sales.TryGetValue(saleId, out var state) && state.Buyers.TryGetValue(userId, out var buyer) ? buyer.Live : 0;

    /// <summary>All reservations of a buyer in a sale, in decision order.</summary>
    public List<Reservation> ReservationsOf(string saleId, string userId)
    {
        var result = new List<Reservation>();
        if (_sales.TryGetValue(saleId, out var state) && state.Buyers.TryGetValue(userId, out var buyer))
        {
            foreach (var index in buyer.Reservations) result.Add(_reservations[index].Reservation);
        }

        return result;
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> reservations of a sale, in decision order, starting at the
    /// <paramref name="from"/>-th of that sale on this shard. Returns how many were copied.
    /// </summary>
    public int CopyReservations(string saleId, int from, int max, ICollection<Reservation> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!_sales.TryGetValue(saleId, out var state)) return 0;
        var end = Math.Min(state.Reservations.Count, from + max);
        for (var i = from; i < end; i++) into.Add(_reservations[state.Reservations[i]].Reservation);
        return Math.Max(0, end - from);
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> of this shard's reservations, over every sale, in the order they were won,
    /// starting at the <paramref name="from"/>-th (0-based; the position survives restarts, since replay and snapshots
    /// keep that order). Each is copied as it was won (status held): the outbox carries wins, not later changes.
    /// Returns how many were copied.
    /// </summary>
    public int CopyWon(long from, int max, ICollection<Reservation> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        var end = Math.Min(_reservations.Count, from + max);
        for (var i = from; i < end; i++)
        {
            var reservation = _reservations[(int)i].Reservation;
            into.Add(reservation.Status == ReservationStatus.Held
                ? reservation
                : reservation with { Status = ReservationStatus.Held });
        }

        return (int)Math.Max(0, end - from);
    }

    /// <summary>When this shard last made a reservation in a sale, or null.</summary>
    public DateTimeOffset? LastReservationAt(string saleId) =>
        _sales.TryGetValue(saleId, out var state) && state.Reservations.Count > 0
            ? _reservations[state.Reservations[^1]].Reservation.CreatedAt
            : null;

    /// <summary>A reservation by id, as it now stands.</summary>
    public Reservation? FindReservation(string reservationId) =>
        _reservationIndex.TryGetValue(reservationId, out var index) ? _reservations[index].Reservation : null;

    /// <summary>
    /// Counts of this shard's reservations of a sale by status (indexed by <see cref="ReservationStatus"/>).
    /// </summary>
    public void CountByStatus(string saleId, Span<int> counts)
    {
        if (!_sales.TryGetValue(saleId, out var state)) return;
        foreach (var index in state.Reservations) counts[(int)_reservations[index].Reservation.Status]++;
    }

    /// <summary>
    /// A canonical text of the whole state, equal for equal states whatever the order of dictionary insertion:
    /// what tests compare to prove that replay reaches the live state.
    /// </summary>
    internal string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"shard {ShardIndex} next {_nextSequence}\n");
        foreach (var saleId in _sales.Keys.Order(StringComparer.Ordinal))
        {
            var state = _sales[saleId];
            for (var i = 0; i < state.Local.Length; i++)
            {
                // An item row of zeros is the same state as no row: live decisions size the arrays for every item
                // of the sale (and make the sale's entry on a sold_out), replay only for the items its events name.
                if ((state.Local[i] | state.Held[i] | state.Confirmed[i] | state.NetTaken[i] | state.Made[i]) == 0)
                {
                    continue;
                }

                text.Append(CultureInfo.InvariantCulture,
                    $"{saleId}/{i} local {state.Local[i]} held {state.Held[i]} confirmed {state.Confirmed[i]} "
                    + $"net {state.NetTaken[i]} made {state.Made[i]}\n");
            }

            foreach (var (user, buyer) in state.Buyers.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{saleId} buyer {user} live {buyer.Live} [{string.Join(',', buyer.Reservations)}]\n");
            }
        }

        foreach (var entry in _reservations)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{entry.Reservation} item {entry.ItemIndex} req {entry.RequestId} at {entry.StatusAtMs}\n");
        }

        foreach (var saleId in _answers.Keys.Order(StringComparer.Ordinal))
        {
            var answers = _answers[saleId].Decided()
                .OrderBy(a => a.Key.High)
                .ThenBy(a => a.Key.Low);
            foreach (var (key, answer) in answers)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"answer {saleId}/{key.High:x16}{key.Low:x16} item {answer.ItemIndex} {answer.Outcome}\n");
            }
        }

        return text.ToString();
    }
}
