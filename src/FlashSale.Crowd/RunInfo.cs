namespace FlashSale.Crowd;

/// <summary>How the run was set up, as the report shows it (no secrets).</summary>
internal sealed record RunInfo(
    string Url, string SaleId, int Users, int Bots, int Connections, string Mode, double? Rate, double? DurationSeconds, int Retries, int BotClicks,
    DateTimeOffset StartedAt, double ClockOffsetMs, double ClockRoundTripMs, string? Host);
