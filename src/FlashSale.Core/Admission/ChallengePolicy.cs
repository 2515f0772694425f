namespace FlashSale.Core.Admission;

/// <summary>
/// The proof-of-work challenge: a buyer solves a signed challenge of <see cref="Difficulty"/> leading zero bits
/// (about 2^difficulty hashes) before a purchase. With <see cref="RiseAbovePerSecond"/> set, the difficulty rises
/// by one bit for each doubling of the sale's attempt rate above it, up to <see cref="MaxDifficulty"/>.
/// </summary>
/// <param name="Enabled">Whether purchases need a solved challenge.</param>
/// <param name="Difficulty">Leading zero bits at rest.</param>
/// <param name="MaxDifficulty">The most it rises to under load (equal to <paramref name="Difficulty"/>: fixed).</param>
/// <param name="RiseAbovePerSecond">Attempts per second above which it rises; 0 never rises.</param>
/// <param name="LifetimeSeconds">How long an issued challenge may be solved and used.</param>
public sealed record ChallengePolicy(
    bool Enabled,
    int Difficulty,
    int MaxDifficulty,
    int RiseAbovePerSecond,
    int LifetimeSeconds)
{
    /// <summary>The hardest difficulty accepted (2^32 hashes is minutes of a browser's time).</summary>
    public const int HardestDifficulty = 32;

    /// <summary>Default <see cref="Difficulty"/>: about 65,000 hashes, a fraction of a second in a browser.</summary>
    public const int DefaultDifficulty = 16;

    /// <summary>Default <see cref="LifetimeSeconds"/>.</summary>
    public const int DefaultLifetimeSeconds = 120;

    /// <summary>Longest <see cref="LifetimeSeconds"/> (an hour).</summary>
    public const int MaxLifetimeSeconds = 3600;

    /// <summary>Off.</summary>
    public static ChallengePolicy Off { get; } =
        new(false, DefaultDifficulty, DefaultDifficulty, 0, DefaultLifetimeSeconds);

    /// <summary>
    /// The difficulty to issue when the sale sees <paramref name="attemptsPerSecond"/>: one more bit per doubling
    /// above <see cref="RiseAbovePerSecond"/>, capped at <see cref="MaxDifficulty"/>.
    /// </summary>
    public int DifficultyAt(double attemptsPerSecond)
    {
        if (RiseAbovePerSecond <= 0 || MaxDifficulty <= Difficulty || attemptsPerSecond <= RiseAbovePerSecond)
        {
            return Difficulty;
        }

        var rise = (int)Math.Ceiling(Math.Log2(attemptsPerSecond / RiseAbovePerSecond));
        return Math.Min(MaxDifficulty, Difficulty + rise);
    }

    /// <summary>Returns why this policy is invalid, or null.</summary>
    public string? Validate()
    {
        if (Difficulty is < 0 or > HardestDifficulty) return $"challenge.difficulty must be 0-{HardestDifficulty}";
        if (MaxDifficulty < Difficulty || MaxDifficulty > HardestDifficulty)
        {
            return $"challenge.maxDifficulty must be from challenge.difficulty to {HardestDifficulty}";
        }

        if (RiseAbovePerSecond < 0) return "challenge.riseAbovePerSecond must not be negative";
        return LifetimeSeconds is < 1 or > MaxLifetimeSeconds
            ? $"challenge.lifetimeSeconds must be 1-{MaxLifetimeSeconds}"
            : null;
    }
}
