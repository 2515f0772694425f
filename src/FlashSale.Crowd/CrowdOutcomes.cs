namespace FlashSale.Crowd;

/// <summary>Words and groupings of <see cref="CrowdOutcome"/>.</summary>
internal static class CrowdOutcomes
{
    /// <summary>How many outcomes there are (array size for counters).</summary>
    public const int Count = (int)CrowdOutcome.Error + 1;

    /// <summary>Every outcome, in display order.</summary>
    public static readonly CrowdOutcome[] All =
    [
        CrowdOutcome.Won, CrowdOutcome.SoldOut, CrowdOutcome.LimitReached, CrowdOutcome.NotEligible,
        CrowdOutcome.NotStarted, CrowdOutcome.Ended, CrowdOutcome.RateLimited, CrowdOutcome.Busy, CrowdOutcome.Waiting,
        CrowdOutcome.Blocked, CrowdOutcome.Error,
    ];

    /// <summary>The API's word for an outcome (<c>won</c>, <c>sold_out</c>, ...), <c>error</c> for errors.</summary>
    public static string Word(this CrowdOutcome outcome) => outcome switch
    {
        CrowdOutcome.Won => "won",
        CrowdOutcome.SoldOut => "sold_out",
        CrowdOutcome.LimitReached => "limit_reached",
        CrowdOutcome.NotEligible => "not_eligible",
        CrowdOutcome.NotStarted => "not_started",
        CrowdOutcome.Ended => "ended",
        CrowdOutcome.RateLimited => "rate_limited",
        CrowdOutcome.Busy => "busy",
        CrowdOutcome.Waiting => "waiting",
        CrowdOutcome.Blocked => "blocked",
        _ => "error",
    };

    /// <summary>True for a decision that ends a buyer's attempt: the buyer "got through".</summary>
    public static bool IsFinal(this CrowdOutcome outcome) =>
        outcome is CrowdOutcome.Won or CrowdOutcome.SoldOut or CrowdOutcome.LimitReached or CrowdOutcome.NotEligible
            or CrowdOutcome.Ended or CrowdOutcome.Blocked;

    /// <summary>Chart colour of an outcome in the HTML report.</summary>
    public static string Colour(this CrowdOutcome outcome) => outcome switch
    {
        CrowdOutcome.Won => "#2e7d32",
        CrowdOutcome.SoldOut => "#1565c0",
        CrowdOutcome.LimitReached => "#6a1b9a",
        CrowdOutcome.NotEligible => "#8d6e63",
        CrowdOutcome.NotStarted => "#9e9e9e",
        CrowdOutcome.Ended => "#455a64",
        CrowdOutcome.RateLimited => "#ef6c00",
        CrowdOutcome.Busy => "#f9a825",
        CrowdOutcome.Waiting => "#00838f",
        CrowdOutcome.Blocked => "#4e342e",
        _ => "#c62828",
    };
}
