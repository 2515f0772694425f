namespace FlashSale.Crowd;

/// <summary>
/// The whole per-buyer state of the crowd: 8 bytes, so a million buyers take 8 MB. Ids, tokens and item choice are
/// computed from the buyer's index when needed, never stored. A buyer has at most one request in flight, so only the
/// worker running it touches its state.
/// </summary>
internal struct SimulatedBuyer
{
    /// <summary>
    /// Clicks on "buy" so far; the request id of a click is <c>{userId}-{Clicks}</c>, kept across its retries.
    /// </summary>
    public ushort Clicks;

    /// <summary>Answers that decided nothing (busy, rate limited, errors) for the current click.</summary>
    public byte Retries;

    /// <summary>Not-started answers (clock skew): retried shortly, up to a bound.</summary>
    public byte EarlyAnswers;

    /// <summary><c>won</c> answers received (saturating).</summary>
    public byte Wins;

    /// <summary>Where the buyer is.</summary>
    public BuyerPhase Phase;

    /// <summary>The first final outcome the buyer heard, for per-item accounting.</summary>
    public CrowdOutcome FirstAnswer;

    /// <summary>Admission refused it at least once (403 other than not_eligible).</summary>
    public bool Blocked;
}
