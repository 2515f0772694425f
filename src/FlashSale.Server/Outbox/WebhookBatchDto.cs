using FlashSale.Server.Api;

namespace FlashSale.Server.Outbox;

/// <summary>The body of a webhook POST.</summary>
/// <param name="DeliveryId">Same on every retry of this batch.</param>
/// <param name="Cursor">The outbox position after this batch (what the delivery saves once it is accepted).</param>
/// <param name="Reservations">The won reservations, as won (status <c>held</c>), oldest first.</param>
public sealed record WebhookBatchDto(string DeliveryId, string Cursor, IReadOnlyList<ReservationDto> Reservations);
