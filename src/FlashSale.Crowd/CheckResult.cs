namespace FlashSale.Crowd;

/// <summary>One verification check: its name, how it came out, and what it found, in words.</summary>
internal sealed record CheckResult(string Name, CheckStatus Status, string Detail);
