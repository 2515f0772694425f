namespace FlashSale.Server.Crowd;

/// <summary>What <c>flashsale rehearse</c> was asked for.</summary>
public sealed record RehearsalSettings
{
    public int Users { get; init; } = 1_000_000;

    /// <summary>Units over all items, split as evenly as possible.</summary>
    public int Stock { get; init; } = 10_000;

    public int Items { get; init; } = 3;

    public double Bots { get; init; } = 0.1;

    public int Connections { get; init; } = 128;

    public double? Rate { get; init; }

    /// <summary>Longest run from the sale's start.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(9);

    public int Retries { get; init; } = 3;

    /// <summary>Clicks a bot makes after its answer.</summary>
    public int BotClicks { get; init; } = 3;

    public string? ReportDirectory { get; init; }

    /// <summary>How long after the sale is created it opens.</summary>
    public TimeSpan StartIn { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Keep the temporary data directory (journals) after the run.</summary>
    public bool KeepData { get; init; }

    public List<string> Validate()
    {
        var problems = new List<string>();
        if (Users is < 1 or > 9_999_999) problems.Add("--users must be 1-9,999,999");
        if (Stock < 0) problems.Add("--stock must not be negative");
        if (Items is < 1 or > 1000) problems.Add("--items must be 1-1000");
        if (Bots is < 0 or > 1 || double.IsNaN(Bots)) problems.Add("--bots must be a fraction from 0 to 1");
        if (Connections is < 1 or > 10_000) problems.Add("--connections must be 1-10,000");
        if (Rate is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate))) problems.Add("--rate must be a positive number");
        if (Duration <= TimeSpan.Zero) problems.Add("--duration must be positive");
        if (Retries is < 0 or > 100) problems.Add("--retries must be 0-100");
        if (BotClicks is < 0 or > 1000) problems.Add("--bot-clicks must be 0-1000");
        return problems;
    }
}
