namespace FlashSale.Core.Admission;

/// <summary>
/// The hidden purchase path: when enabled, a buyer fetches a signed purchase path once the sale is open (after the
/// challenge, when one is on), and the plain purchase route is refused.
/// </summary>
/// <param name="Enabled">Whether purchases need the hidden path.</param>
/// <param name="LifetimeSeconds">How long a fetched path stays valid.</param>
public sealed record HiddenPathPolicy(bool Enabled, int LifetimeSeconds)
{
    /// <summary>Default <see cref="LifetimeSeconds"/>.</summary>
    public const int DefaultLifetimeSeconds = 60;

    /// <summary>Longest <see cref="LifetimeSeconds"/> (an hour).</summary>
    public const int MaxLifetimeSeconds = 3600;

    /// <summary>Off.</summary>
    public static HiddenPathPolicy Off { get; } = new(false, DefaultLifetimeSeconds);

    /// <summary>Returns why this policy is invalid, or null.</summary>
    public string? Validate() => LifetimeSeconds is < 1 or > MaxLifetimeSeconds
        ? $"hiddenPath.lifetimeSeconds must be 1-{MaxLifetimeSeconds}"
        : null;
}
