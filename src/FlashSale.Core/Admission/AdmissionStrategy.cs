namespace FlashSale.Core.Admission;

/// <summary>
/// How a sale admits purchase attempts: which checks of the admission pipeline apply, and their parameters. Every
/// check is off in <see cref="Default"/>, which is the behaviour of a sale created without a strategy. Operators
/// change it on a live sale; the change is journaled (embedded) or stored with the sale (cluster) and applies to
/// the next request.
/// </summary>
/// <param name="HiddenPath">The hidden, signed purchase path.</param>
/// <param name="Challenge">The proof-of-work challenge.</param>
/// <param name="IpRate">The per-IP token bucket.</param>
/// <param name="AutoBan">Automatic temporary bans of a buyer or an address that keeps hammering.</param>
/// <param name="WaitingRoom">The waiting room (its settings only; the room itself is built beside).</param>
public sealed record AdmissionStrategy(
    HiddenPathPolicy HiddenPath,
    ChallengePolicy Challenge,
    IpRatePolicy IpRate,
    AutoBanPolicy AutoBan,
    WaitingRoomPolicy WaitingRoom)
{
    /// <summary>Every check off: a sale admits as it did before strategies existed.</summary>
    public static AdmissionStrategy Default { get; } =
        new(HiddenPathPolicy.Off, ChallengePolicy.Off, IpRatePolicy.Off, AutoBanPolicy.Off, WaitingRoomPolicy.Off);

    /// <summary>True when every check is off.</summary>
    public bool IsDefault => Equals(Default);

    /// <summary>Returns why this strategy is invalid, or null when it is valid.</summary>
    public string? Validate()
    {
        if (HiddenPath is null || Challenge is null || IpRate is null || AutoBan is null || WaitingRoom is null)
        {
            return "every part of the admission strategy is required";
        }

        return HiddenPath.Validate() ?? Challenge.Validate() ?? IpRate.Validate() ?? AutoBan.Validate()
            ?? WaitingRoom.Validate();
    }
}
