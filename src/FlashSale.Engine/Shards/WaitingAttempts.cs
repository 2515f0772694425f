namespace FlashSale.Engine.Shards;

/// <summary>
/// Attempts parked on one item until units held by other shards come back, and how many answers are awaited.
/// </summary>
internal sealed class WaitingAttempts
{
    public Queue<PurchaseRequest> Requests { get; } = new();

    /// <summary>Release requests sent and not yet answered.</summary>
    public int Outstanding { get; set; }
}
