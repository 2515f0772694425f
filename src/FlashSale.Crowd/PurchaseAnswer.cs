namespace FlashSale.Crowd;

/// <summary>One answer to a purchase request, reduced to what the crowd needs.</summary>
/// <param name="Outcome">The outcome word of the body (or <see cref="CrowdOutcome.Error"/>).</param>
/// <param name="Status">HTTP status, 0 when no response came.</param>
/// <param name="RetryAfter">The Retry-After of <c>busy</c> and <c>rate_limited</c> answers.</param>
/// <param name="ReservationId">The reservation of a <c>won</c> answer.</param>
/// <param name="UserId">The reservation's user id, as the server wrote it.</param>
/// <param name="ItemId">The reservation's item id, as the server wrote it.</param>
/// <param name="Error">What went wrong, for errors: short and groupable ("HTTP 500", "timeout").</param>
internal readonly record struct PurchaseAnswer(
    CrowdOutcome Outcome,
    int Status,
    TimeSpan RetryAfter,
    string? ReservationId,
    string? UserId,
    string? ItemId,
    string? Error)
{
    public static PurchaseAnswer Failed(int status, string error) =>
        new(CrowdOutcome.Error, status, TimeSpan.Zero, null, null, null, error);
}
