namespace FlashSale.Crowd;

/// <summary>Every figure of a crowd run; <c>report.json</c> is this, serialized.</summary>
internal sealed record CrowdResult(
    RunInfo Run,
    SaleInfo Sale,
    long Requests,
    double Seconds,
    double RequestsPerSecond,
    double PeakRequestsPerSecond,
    LatencySummary Latency,
    LatencySummary ServiceTime,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, long> Errors,
    BuyerCounts Buyers,
    double? SellOutSeconds,
    double? ServerSellOutSeconds,
    ClientCost Client,
    IReadOnlyList<ItemResult> Items,
    ServerStats? Server,
    IReadOnlyList<TimelinePoint> Timeline,
    Verification Verification)
{
    public long Count(CrowdOutcome outcome) => Outcomes.GetValueOrDefault(outcome.Word());
}
