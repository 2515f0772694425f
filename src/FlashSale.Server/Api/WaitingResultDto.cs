namespace FlashSale.Server.Api;

/// <summary>The <c>result</c> event of the waiting room's stream: what became of the buyer's purchase.</summary>
/// <param name="Outcome"><c>won</c> (with the reservation), <c>sold_out</c> or <c>ended</c>.</param>
/// <param name="Reservation">The buyer's reservation, when it won.</param>
public sealed record WaitingResultDto(string Outcome, ReservationDto? Reservation);
