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
    double TimelineResolutionSeconds,
    IReadOnlyList<TimelinePoint> Timeline,
    Verification Verification,
    Fairness? Fairness = null)
{
    public long Count(CrowdOutcome outcome) => Outcomes.GetValueOrDefault(outcome.Word());

    /// <summary>The server's sold-out time on the run's zero, in words; null when the server did not say.</summary>
    public string? ServerSoldOutText() => ServerSellOutSeconds switch
    {
        null => null,
        >= 0 and var s => $"{s:0.000} s after {Run.Zero}",
        var s => $"before the crowd started ({s + (Run.SaleOpenForSeconds ?? 0):0.000} s after the sale opened)",
    };
}
