namespace FlashSale.Server.Api;

/// <summary>The optional <c>waitingRoom</c> member of <c>POST /admin/sales</c>, and of the admin view of a sale.
/// </summary>
public sealed record WaitingRoomBody(int? PreQueueSeconds, int? AdmitPerSecond, int? GrantSeconds, long? Seed);
