namespace FlashSale.Server.Outbox;

/// <summary>
/// One line of <c>GET /admin/outbox</c>: a reservation as won, and the cursor that resumes right after it.
/// </summary>
public sealed record OutboxLineDto(string Id, string SaleId, string ItemId, string UserId, int Quantity,
    DateTimeOffset CreatedAt, DateTimeOffset HoldUntil, string Status, string Cursor);
