namespace FlashSale.Core.Admission;

/// <summary>
/// A token bucket per client address, beside the per-buyer one: many accounts behind one address share it.
/// </summary>
/// <param name="PermitsPerSecond">Tokens added per second; 0 turns the bucket off.</param>
/// <param name="Burst">The bucket's size.</param>
public sealed record IpRatePolicy(int PermitsPerSecond, int Burst)
{
    /// <summary>Off.</summary>
    public static IpRatePolicy Off { get; } = new(0, 0);

    /// <summary>Whether the bucket applies.</summary>
    public bool Enabled => PermitsPerSecond > 0;

    /// <summary>Returns why this policy is invalid, or null.</summary>
    public string? Validate()
    {
        if (PermitsPerSecond < 0 || Burst < 0) return "ipRate.permitsPerSecond and ipRate.burst must not be negative";
        return Enabled && Burst < 1 ? "ipRate.burst must be at least 1 when ipRate.permitsPerSecond is set" : null;
    }
}
