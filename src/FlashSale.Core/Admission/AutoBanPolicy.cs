namespace FlashSale.Core.Admission;

/// <summary>
/// Automatic temporary bans: a buyer or an address refused <c>rate_limited</c> <see cref="Threshold"/> times within
/// <see cref="WindowSeconds"/> is refused <c>banned</c> for <see cref="BanSeconds"/>.
/// </summary>
/// <param name="Threshold">Refusals that earn a ban; 0 turns bans off.</param>
/// <param name="WindowSeconds">The window the refusals are counted in.</param>
/// <param name="BanSeconds">How long a ban lasts.</param>
public sealed record AutoBanPolicy(int Threshold, int WindowSeconds, int BanSeconds)
{
    /// <summary>Longest <see cref="WindowSeconds"/> and <see cref="BanSeconds"/> (a day).</summary>
    public const int MaxSeconds = 86_400;

    /// <summary>Off.</summary>
    public static AutoBanPolicy Off { get; } = new(0, 10, 300);

    /// <summary>Whether bans apply.</summary>
    public bool Enabled => Threshold > 0;

    /// <summary>Returns why this policy is invalid, or null.</summary>
    public string? Validate()
    {
        if (Threshold < 0) return "autoBan.threshold must not be negative";
        if (WindowSeconds is < 1 or > MaxSeconds) return $"autoBan.windowSeconds must be 1-{MaxSeconds}";
        return BanSeconds is < 1 or > MaxSeconds ? $"autoBan.banSeconds must be 1-{MaxSeconds}" : null;
    }
}
