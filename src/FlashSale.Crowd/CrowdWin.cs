namespace FlashSale.Crowd;

/// <summary>A <c>won</c> answer the crowd received: who asked for what, and the reservation the server named.</summary>
internal sealed record CrowdWin(int Buyer, int Item, string ReservationId, string UserId, string ItemId);
