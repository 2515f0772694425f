namespace FlashSale.Server.Api;

/// <summary>The challenge's settings (see <see cref="Core.Admission.ChallengePolicy"/>).</summary>
public sealed record ChallengePolicyDto(bool? Enabled, int? Difficulty, int? MaxDifficulty, int? RiseAbovePerSecond,
    int? LifetimeSeconds);
