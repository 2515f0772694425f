namespace FlashSale.Server.Api;

/// <summary>
/// A buyer's place in a sale's waiting room: the body of <c>202 waiting</c> and the <c>place</c> event of the
/// waiting room's stream.
/// </summary>
/// <param name="Outcome">Always <c>waiting</c>.</param>
/// <param name="Position">Buyers ahead; null in the pre-queue before the start, when the order is not drawn yet.
/// </param>
/// <param name="EtaMs">Milliseconds until the buyer's turn (until the start, in the pre-queue).</param>
/// <param name="StartsAt">The sale's start.</param>
/// <param name="PreQueue">The buyer holds a pre-queue ticket (arrived before the start).</param>
/// <param name="Ticket">The buyer's ticket: sent back in <c>FlashSale-Ticket</c>, it keeps the place across a
/// restart of the server.</param>
/// <param name="Events">The waiting room's Server-Sent Events stream.</param>
public sealed record WaitingDto(
    string Outcome, long? Position, long EtaMs, DateTimeOffset StartsAt, bool PreQueue, string Ticket, string Events);
