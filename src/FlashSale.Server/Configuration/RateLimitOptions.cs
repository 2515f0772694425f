namespace FlashSale.Server.Configuration;

/// <summary>Token bucket per buyer for purchase attempts (<c>FlashSale:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tokens added per second per buyer.</summary>
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>Bucket size: attempts a buyer may make at once.</summary>
    public int Burst { get; set; } = 40;
}
