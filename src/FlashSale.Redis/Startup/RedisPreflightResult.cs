namespace FlashSale.Redis.Startup;

/// <summary>What <see cref="RedisPreflight.CheckAsync"/> found.</summary>
/// <param name="Problem">Why a gateway cannot start, one sentence; null when it can.</param>
/// <param name="Warnings">
/// Risks to acknowledged wins that do not stop the start (persistence settings of the primaries), one line each, for
/// the log.
/// </param>
public sealed record RedisPreflightResult(string? Problem, IReadOnlyList<string> Warnings);
