using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;

namespace FlashSale.Redis.Batching;

/// <summary>Reads the scripts' packed answers and reservations.</summary>
internal static class DecisionCodec
{
    /// <summary>
    /// Reads an answer of the decide script: <c>&lt;outcome&gt;</c>, or <c>1|seq|item|createdMs|holdUntilMs</c> for
    /// won.
    /// </summary>
    public static Decision ReadAnswer(string answer, Sale sale, string userId)
    {
        var code = (Outcome)(answer[0] - '0');
        if (code != Outcome.Won) return Decision.Of(code);
        var parts = answer.Split('|');
        var reservation = new Reservation(
            ReservationIds.Make(sale.Id, long.Parse(parts[1], CultureInfo.InvariantCulture)),
            sale.Id,
            sale.Definition.Items[int.Parse(parts[2], CultureInfo.InvariantCulture)].Id,
            userId,
            1,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture)),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[4], CultureInfo.InvariantCulture)),
            ReservationStatus.Held);
        return new Decision(Outcome.Won, reservation);
    }

    /// <summary>Reads a stored reservation: <c>item|createdMs|holdUntilMs|status|statusAtMs|userId</c>.</summary>
    public static Reservation ReadReservation(Sale sale, long sequence, string packed)
    {
        var parts = packed.Split('|', 6);
        return new Reservation(
            ReservationIds.Make(sale.Id, sequence),
            sale.Id,
            sale.Definition.Items[int.Parse(parts[0], CultureInfo.InvariantCulture)].Id,
            parts[5],
            1,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], CultureInfo.InvariantCulture)),
            (ReservationStatus)(parts[3][0] - '0'));
    }
}
