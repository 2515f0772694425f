using FlashSale.Core.Reservations;

namespace FlashSale.Core.Purchases;

/// <summary>
/// The answer to one purchase attempt: an outcome and, for <see cref="Outcome.Won"/>, the reservation.
/// </summary>
/// <param name="Outcome">What was decided.</param>
/// <param name="Reservation">The reservation made, only for <see cref="Outcome.Won"/>.</param>
public readonly record struct Decision(Outcome Outcome, Reservation? Reservation)
{
    /// <summary>A decision without a reservation.</summary>
    public static Decision Of(Outcome outcome) => new(outcome, null);
}
