using FlashSale.Core.Reservations;

namespace FlashSale.Core.Outbox;

/// <summary>One won reservation in the outbox, with the cursor that resumes right after it.</summary>
/// <param name="Reservation">The reservation as it was won (status <c>held</c>).</param>
/// <param name="Cursor">Read from here to get what follows this entry.</param>
public sealed record OutboxEntry(Reservation Reservation, string Cursor);
