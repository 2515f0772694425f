namespace FlashSale.Redis.Startup;

/// <summary>What <see cref="RedisPreflight.CheckAsync"/> found.</summary>
/// <param name="Problem">Why a gateway cannot start, one sentence; null when it can.</param>
public sealed record RedisPreflightResult(string? Problem);
