namespace FlashSale.Server.Api;

/// <summary>
/// <c>GET /admin/sales/{saleId}/waiting-room</c>: the queue as this server holds it, for an audit.
/// </summary>
/// <param name="Seed">The journaled seed the pre-queue's order is drawn from.</param>
/// <param name="Admitted">Buyers admitted since this server opened the room.</param>
/// <param name="Waiting">Buyers holding a ticket and not yet admitted.</param>
/// <param name="Order">Buyers in admission order from the start on (empty before it: the order is drawn then).
/// </param>
public sealed record WaitingRoomOrderDto(long Seed, int Admitted, int Waiting, IReadOnlyList<string> Order);
