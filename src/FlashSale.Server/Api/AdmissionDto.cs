using FlashSale.Core.Admission;

namespace FlashSale.Server.Api;

/// <summary>
/// A sale's admission strategy as the admin API shows and takes it. In a body every member is optional: what is
/// left out keeps its current value (the defaults, for a new sale).
/// </summary>
public sealed record AdmissionDto(
    HiddenPathDto? HiddenPath,
    ChallengePolicyDto? Challenge,
    IpRateDto? IpRate,
    AutoBanDto? AutoBan,
    WaitingRoomDto? WaitingRoom)
{
    /// <summary>The API shape of <paramref name="strategy"/>.</summary>
    public static AdmissionDto Of(AdmissionStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var (path, challenge, ip, ban, room) =
            (strategy.HiddenPath, strategy.Challenge, strategy.IpRate, strategy.AutoBan, strategy.WaitingRoom);
        return new AdmissionDto(
            new HiddenPathDto(path.Enabled, path.LifetimeSeconds),
            new ChallengePolicyDto(challenge.Enabled, challenge.Difficulty, challenge.MaxDifficulty,
                challenge.RiseAbovePerSecond, challenge.LifetimeSeconds),
            new IpRateDto(ip.PermitsPerSecond, ip.Burst),
            new AutoBanDto(ban.Threshold, ban.WindowSeconds, ban.BanSeconds),
            new WaitingRoomDto(room.Enabled, room.PreQueueSeconds, room.AdmitPerSecond, room.GrantSeconds));
    }

    /// <summary>
    /// This body over <paramref name="current"/>: members given replace, members left out stay. Returns the strategy
    /// or why it is invalid.
    /// </summary>
    public (AdmissionStrategy? Strategy, string? Error) Over(AdmissionStrategy current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var path = current.HiddenPath;
        var challenge = current.Challenge;
        var ip = current.IpRate;
        var ban = current.AutoBan;
        var room = current.WaitingRoom;
        if (HiddenPath is { } p)
        {
            path = new HiddenPathPolicy(p.Enabled ?? path.Enabled, p.LifetimeSeconds ?? path.LifetimeSeconds);
        }

        if (Challenge is { } c)
        {
            var difficulty = c.Difficulty ?? challenge.Difficulty;

            // A difficulty given alone moves the ceiling with it, so that "difficulty": 20 is enough to ask for 20.
            var max = c.MaxDifficulty ?? (c.Difficulty is null ? challenge.MaxDifficulty
                : Math.Max(difficulty, challenge.RiseAbovePerSecond > 0 ? challenge.MaxDifficulty : difficulty));
            challenge = new ChallengePolicy(c.Enabled ?? challenge.Enabled, difficulty, max,
                c.RiseAbovePerSecond ?? challenge.RiseAbovePerSecond, c.LifetimeSeconds ?? challenge.LifetimeSeconds);
        }

        if (IpRate is { } i) ip = new IpRatePolicy(i.PermitsPerSecond ?? ip.PermitsPerSecond, i.Burst ?? ip.Burst);
        if (AutoBan is { } b)
        {
            ban = new AutoBanPolicy(b.Threshold ?? ban.Threshold, b.WindowSeconds ?? ban.WindowSeconds,
                b.BanSeconds ?? ban.BanSeconds);
        }

        if (WaitingRoom is { } w)
        {
            room = new WaitingRoomPolicy(w.Enabled ?? room.Enabled, w.PreQueueSeconds ?? room.PreQueueSeconds,
                w.AdmitPerSecond ?? room.AdmitPerSecond, w.GrantSeconds ?? room.GrantSeconds);
        }

        var strategy = new AdmissionStrategy(path, challenge, ip, ban, room);
        return strategy.Validate() is { } error ? (null, error + ".") : (strategy, null);
    }
}
