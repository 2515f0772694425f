namespace FlashSale.Server.Admission;

/// <summary>Where a buyer stands in a waiting room.</summary>
/// <param name="Admitted">Its turn has come: it may purchase until <paramref name="GrantExpiresMs"/>.</param>
/// <param name="Position">Buyers ahead of it; null in the pre-queue before the start (the order is drawn then).
/// </param>
/// <param name="EtaMs">Milliseconds until its turn, at the admission rate.</param>
/// <param name="ArrivalMs">When its ticket was issued (Unix ms).</param>
/// <param name="Early">It holds a pre-queue ticket.</param>
/// <param name="GrantExpiresMs">Until when it may purchase, once admitted.</param>
internal readonly record struct WaitingPlace(
    bool Admitted, long? Position, long EtaMs, long ArrivalMs, bool Early, long GrantExpiresMs);
