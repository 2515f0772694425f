namespace FlashSale.Server.Admission;

/// <summary>One buyer's ticket in a <see cref="WaitingRoom"/>.</summary>
internal sealed class QueueEntry(string userId, bool early, long arrivalMs, ulong draw)
{
    public string UserId { get; } = userId;

    /// <summary>Arrived in the pre-queue window, before the start: placed by <see cref="Draw"/>.</summary>
    public bool Early { get; } = early;

    /// <summary>When the ticket was first issued (Unix ms); later arrivals queue by it.</summary>
    public long ArrivalMs { get; } = arrivalMs;

    public ulong Draw { get; } = draw;

    /// <summary>Until when an admitted buyer may purchase (Unix ms); 0 until it is told it is admitted.</summary>
    public long GrantExpiresMs { get; set; }
}
