namespace FlashSale.Core.Purchases;

/// <summary>The machine-readable outcome words of the API contract.</summary>
public static class OutcomeWords
{
    /// <summary>All outcomes that are real decisions, in API order.</summary>
    public static readonly Outcome[] Decisions =
        [Outcome.Won, Outcome.SoldOut, Outcome.LimitReached, Outcome.NotEligible, Outcome.NotStarted, Outcome.Ended];

    /// <summary>The API word for an outcome (<c>won</c>, <c>sold_out</c>, ...).</summary>
    public static string ToWord(this Outcome outcome) => outcome switch
    {
        Outcome.Won => "won",
        Outcome.SoldOut => "sold_out",
        Outcome.LimitReached => "limit_reached",
        Outcome.NotEligible => "not_eligible",
        Outcome.NotStarted => "not_started",
        Outcome.Ended => "ended",
        Outcome.Busy => "busy",
        Outcome.UnknownSale => "unknown_sale",
        Outcome.UnknownItem => "unknown_item",
        Outcome.RateLimited => "rate_limited",
        Outcome.WaitingForStock => "waiting_for_stock",
        Outcome.RequestIdReused => "request_id_reused",
        Outcome.Blocked => "blocked",
        Outcome.Banned => "banned",
        Outcome.PathRequired => "path_required",
        Outcome.PathInvalid => "path_invalid",
        Outcome.ChallengeRequired => "challenge_required",
        Outcome.ChallengeFailed => "challenge_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Length of an array indexed by <c>(int)</c><see cref="Outcome"/>: every outcome is below it.</summary>
    public const int TableSize = 32;

    /// <summary>The refusals of the admission pipeline, counted by the HTTP edge; nothing was decided.</summary>
    public static readonly Outcome[] AdmissionRefusals =
    [
        Outcome.Blocked, Outcome.Banned, Outcome.PathRequired, Outcome.PathInvalid, Outcome.ChallengeRequired,
        Outcome.ChallengeFailed,
    ];

    /// <summary>True for outcomes a repeat of the same requestId must get again.</summary>
    public static bool IsRemembered(this Outcome outcome) =>
        outcome is Outcome.Won or Outcome.SoldOut or Outcome.LimitReached;
}
