namespace FlashSale.Server.Configuration;

/// <summary>Token bucket per client address for the anonymous reads (<c>FlashSale:Admission:ReadRate</c>).</summary>
public sealed class ReadRateOptions
{
    /// <summary>Tokens added per second per address; 0 turns the limit off.</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Bucket size.</summary>
    public int Burst { get; set; } = 100;
}
