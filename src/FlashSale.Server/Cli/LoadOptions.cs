namespace FlashSale.Server.Cli;

/// <summary>The load options as read from the command line.</summary>
internal sealed record LoadOptions(int Users, int Connections, double? Rate, TimeSpan? Duration, int Retries, double Bots, int BotClicks, string? ReportDirectory);
