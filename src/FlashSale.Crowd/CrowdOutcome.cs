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

    /// <summary>
    /// No answer the contract allows: a transport failure, a timeout, a 5xx other than busy, a 4xx without an outcome.
    /// </summary>
    Error,
}
