namespace FlashSale.Crowd;

/// <summary>How the run was set up, as the report shows it (no secrets).</summary>
/// <param name="Command">The verb that ran: <c>crowd</c> or <c>rehearse</c>.</param>
/// <param name="ServerRateLimit">The server's per-buyer rate limit when the run knows it (a rehearsal sets its
/// own).</param>
/// <param name="SaleOpenForSeconds">
/// How long the sale had been open when the crowd started (null: the crowd waited for the opening). When set, every
/// time of the run counts from the crowd's start.
/// </param>
internal sealed record RunInfo(
    string Url, string SaleId, int Users, int Bots, int Connections, string Mode, double? Rate, double? DurationSeconds,
    int Retries, int BotClicks, DateTimeOffset StartedAt, double ClockOffsetMs, double ClockRoundTripMs, string? Host,
    string Command, RateLimit? ServerRateLimit, double? SaleOpenForSeconds, string? Admission = null)
{
    /// <summary>
    /// The gateways the purchases were spread over, with what each answered; null when they all went to
    /// <see cref="Url"/>.
    /// </summary>
    public IReadOnlyList<GatewayShare>? Gateways { get; init; }

    /// <summary>What the times of the run count from, in words.</summary>
    public string Zero => SaleOpenForSeconds is null ? "the sale opened" : "the crowd started";

    /// <summary>The rate limit in words, saying where it comes from.</summary>
    public string RateLimitText => ServerRateLimit is { } limit
        ? $"{limit.PermitsPerSecond}/s, burst {limit.Burst} per buyer"
            + (Command == "rehearse" ? " (the rehearsal's own, not the server's default)" : "")
        : "the server's own (not known to the crowd)";
}
