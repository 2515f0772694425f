namespace FlashSale.Server.Crowd;

/// <summary>What <c>flashsale crowd</c> (or <c>rehearse</c>) was asked for.</summary>
/// <param name="Url">The server's base URL.</param>
/// <param name="SaleId">The sale to buy in.</param>
/// <param name="TokenSecret">The HS256 secret buyers' tokens are minted with (<c>FlashSale:TokenSecret</c>).</param>
public sealed record CrowdSettings(Uri Url, string SaleId, string TokenSecret)
{
    /// <summary>The admin key, for verification against the export; without it only the crowd's own checks run.</summary>
    public string? AdminKey { get; init; }

    /// <summary>Distinct buyers (<c>buyer-0000001</c>...).</summary>
    public int Users { get; init; } = 10_000;

    /// <summary>Connections, and so requests in flight at most.</summary>
    public int Connections { get; init; } = 64;

    /// <summary>Open loop: buyers arriving per second. Null: closed loop, as fast as answered (<c>--max</c>).</summary>
    public double? Rate { get; init; }

    /// <summary>Longest run from the sale's start; null for until every buyer is done.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Retries per click on busy, rate_limited or errors.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Fraction of buyers that are bots.</summary>
    public double Bots { get; init; }

    /// <summary>Clicks a bot makes after its answer.</summary>
    public int BotClicks { get; init; } = 3;

    /// <summary>Where to write <c>report.json</c> and <c>report.html</c>; null for none.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>How long one request may take before it counts as an error (timeout) and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Seed of which buyers are bots.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Returns every problem with these settings (empty when valid).</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (Url is null || !Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https")) problems.Add("--url must be an absolute http(s) URL");
        if (string.IsNullOrEmpty(SaleId)) problems.Add("--sale is required");
        if (string.IsNullOrEmpty(TokenSecret)) problems.Add("--token-secret is required");
        if (Users is < 1 or > 9_999_999) problems.Add("--users must be 1-9,999,999");
        if (Connections is < 1 or > 10_000) problems.Add("--connections must be 1-10,000");
        if (Rate is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate))) problems.Add("--rate must be a positive number of arrivals per second");
        if (Duration is { } duration && duration <= TimeSpan.Zero) problems.Add("--duration must be positive");
        if (Retries is < 0 or > 100) problems.Add("--retries must be 0-100");
        if (Bots is < 0 or > 1 || double.IsNaN(Bots)) problems.Add("--bots must be a fraction from 0 to 1");
        if (BotClicks is < 0 or > 1000) problems.Add("--bot-clicks must be 0-1000");
        return problems;
    }
}
