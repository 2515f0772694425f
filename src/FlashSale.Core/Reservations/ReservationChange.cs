namespace FlashSale.Core.Reservations;

/// <summary>The result of a confirm or cancel: the result and the reservation as it now stands.</summary>
/// <param name="Result">What came of it.</param>
/// <param name="Reservation">The reservation after the change (null when not found).</param>
public readonly record struct ReservationChange(ChangeResult Result, Reservation? Reservation);
