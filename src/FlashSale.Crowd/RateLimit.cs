namespace FlashSale.Crowd;

/// <summary>A per-buyer token bucket, as the server applies it to purchase attempts.</summary>
/// <param name="PermitsPerSecond">Attempts a buyer regains per second.</param>
/// <param name="Burst">Attempts a buyer may make at once.</param>
public sealed record RateLimit(int PermitsPerSecond, int Burst);
