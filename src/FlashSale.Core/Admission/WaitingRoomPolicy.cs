namespace FlashSale.Core.Admission;

/// <summary>
/// The waiting room: buyers arriving within <see cref="PreQueueSeconds"/> before the start get a ticket; at the
/// start the pre-queue is shuffled and admitted at <see cref="AdmitPerSecond"/>; admission is a signed grant valid
/// for <see cref="GrantSeconds"/>, which the purchase checks.
/// </summary>
/// <param name="Enabled">Whether purchases need a grant from the waiting room.</param>
/// <param name="PreQueueSeconds">How long before the start tickets are given out.</param>
/// <param name="AdmitPerSecond">Buyers admitted per second.</param>
/// <param name="GrantSeconds">How long a grant lets its buyer purchase.</param>
public sealed record WaitingRoomPolicy(bool Enabled, int PreQueueSeconds, int AdmitPerSecond, int GrantSeconds)
{
    /// <summary>Longest <see cref="PreQueueSeconds"/> and <see cref="GrantSeconds"/> (a day).</summary>
    public const int MaxSeconds = 86_400;

    /// <summary>Off.</summary>
    public static WaitingRoomPolicy Off { get; } = new(false, 60, 1000, 300);

    /// <summary>Returns why this policy is invalid, or null.</summary>
    public string? Validate()
    {
        if (PreQueueSeconds is < 0 or > MaxSeconds) return $"waitingRoom.preQueueSeconds must be 0-{MaxSeconds}";
        if (AdmitPerSecond < 1) return "waitingRoom.admitPerSecond must be at least 1";
        return GrantSeconds is < 1 or > MaxSeconds ? $"waitingRoom.grantSeconds must be 1-{MaxSeconds}" : null;
    }
}
