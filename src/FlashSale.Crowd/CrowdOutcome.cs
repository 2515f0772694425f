namespace FlashSale.Crowd;

/// <summary>
/// What a simulated buyer heard back from one purchase request: the contract's outcomes, or an error.
/// </summary>
internal enum CrowdOutcome : byte
{
    Won,
    SoldOut,
    LimitReached,
    NotEligible,
    NotStarted,
    Ended,
    RateLimited,
    Busy,

    /// <summary>202 waiting: a place in the sale's waiting room, to come back at its ETA.</summary>
    Waiting,

    /// <summary>A 403 refusal by admission (a block, a ban, a refused grant): not <c>not_eligible</c>.</summary>
    Blocked,

    /// <summary>
    /// No answer the contract allows: a transport failure, a timeout, a 5xx other than busy, a 4xx without an outcome.
    /// </summary>
    Error,
}
