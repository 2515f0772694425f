namespace FlashSale.Crowd;

/// <summary>
/// What <c>flashsale crowd</c> or <c>flashsale rehearse</c> was asked for: the one settings type of both verbs, read
/// from their options by <see cref="CrowdCommandLine"/> and checked by <see cref="Validate"/>. Start from
/// <see cref="ForCrowd"/> or <see cref="ForRehearsal"/>, which hold each verb's defaults.
/// </summary>
public sealed record CrowdSettings
{
    /// <summary>Which verb these settings are for; decides what is required.</summary>
    public CrowdVerb Verb { get; init; }

    /// <summary>The server's base URL (crowd; a rehearsal fills it in with the server it starts).</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// Servers to spread the purchases over, each connection sticking to one in turn (the gateways of a cluster-mode
    /// deployment, as <c>rehearse --redis --gateways N</c> starts them). Empty: every purchase goes to
    /// <see cref="Url"/>, which also answers the reads, the clock and the export in any case.
    /// </summary>
    public IReadOnlyList<Uri> Gateways { get; init; } = [];

    /// <summary>The sale to buy in (crowd; a rehearsal creates its own).</summary>
    public string? SaleId { get; init; }

    /// <summary>The HS256 secret buyers' tokens are minted with (<c>FlashSale:TokenSecret</c>).</summary>
    public string? TokenSecret { get; init; }

    /// <summary>The admin key, for verification against the export; without it only the crowd's own checks
    /// run.</summary>
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

    /// <summary>Rehearsal: units on sale over all items, split as evenly as possible.</summary>
    public int Stock { get; init; } = 10_000;

    /// <summary>Rehearsal: items in the sale (<c>item-1</c>, <c>item-2</c>, ...).</summary>
    public int Items { get; init; } = 3;

    /// <summary>Rehearsal: how long after the sale is created it opens.</summary>
    public TimeSpan StartIn { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rehearsal: keep the temporary data directory (journals) after the run.</summary>
    public bool KeepData { get; init; }

    /// <summary>The server's per-buyer rate limit when the crowd knows it (a rehearsal sets it); shown in the
    /// report.</summary>
    public RateLimit? ServerRateLimit { get; init; }

    /// <summary>How long before the start people open the sale's page (arrivals begin then); bots fire just before
    /// the start whatever this is.</summary>
    public TimeSpan Early { get; init; }

    /// <summary>Rehearsal: the sale uses the recommended sale-day admission (the waiting room); false with
    /// <c>--no-admission</c>.</summary>
    public bool Admission { get; init; }

    /// <summary>Rehearsal: buyers the waiting room admits per second.</summary>
    public int AdmitRate { get; init; } = 2000;

    /// <summary>The defaults of <c>flashsale crowd</c>: 10,000 buyers on 64 connections, until every buyer is
    /// done.</summary>
    public static CrowdSettings ForCrowd() => new() { Verb = CrowdVerb.Crowd };

    /// <summary>The defaults of <c>flashsale rehearse</c>: a million buyers (a tenth bots), 128 connections, 9 min at
    /// most.</summary>
    public static CrowdSettings ForRehearsal() => new()
    {
        Verb = CrowdVerb.Rehearse,
        Users = 1_000_000,
        Connections = 128,
        Bots = 0.1,
        Duration = TimeSpan.FromMinutes(9),
        Early = TimeSpan.FromSeconds(3),
        Admission = true,
    };

    /// <summary>Returns every problem with these settings, in the words of the command line (empty when
    /// valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Verb == CrowdVerb.Crowd || Url is not null)
        {
            if (Url is null || !Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https"))
            {
                problems.Add("--url must be an absolute http(s) URL like http://127.0.0.1:8080");
            }

            if (string.IsNullOrEmpty(SaleId)) problems.Add("--sale is required");
            if (string.IsNullOrEmpty(TokenSecret))
            {
                problems.Add("--token-secret is required (or FlashSale__TokenSecret, or --demo)");
            }
        }

        foreach (var gateway in Gateways)
        {
            if (!gateway.IsAbsoluteUri || gateway.Scheme is not ("http" or "https"))
            {
                problems.Add($"gateway '{gateway}' is not an absolute http(s) URL");
            }
        }

        if (Gateways.Count > Connections)
        {
            problems.Add($"--connections must be at least the number of gateways ({Gateways.Count})");
        }

        if (Users is < 1 or > 9_999_999) problems.Add("--users must be 1-9,999,999");
        if (Connections is < 1 or > 10_000) problems.Add("--connections must be 1-10,000");
        if (Rate is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate)))
        {
            problems.Add("--rate must be a positive number of arrivals per second");
        }

        if (Duration is { } duration && duration <= TimeSpan.Zero) problems.Add("--duration must be positive");
        if (Retries is < 0 or > 100) problems.Add("--retries must be 0-100");
        if (Bots is < 0 or > 1 || double.IsNaN(Bots)) problems.Add("--bots must be a fraction from 0 to 1");
        if (BotClicks is < 0 or > 1000) problems.Add("--bot-clicks must be 0-1000");
        if (Early < TimeSpan.Zero || Early > TimeSpan.FromHours(1)) problems.Add("--early must be 0s-1h");
        if (RequestTimeout <= TimeSpan.Zero) problems.Add("the request timeout must be positive");
        if (Verb == CrowdVerb.Rehearse)
        {
            if (Stock is < 0 or > 100_000_000) problems.Add("--stock must be 0-100,000,000");
            if (Items is < 1 or > 1000) problems.Add("--items must be 1-1000");
            if (StartIn < TimeSpan.Zero || StartIn > TimeSpan.FromHours(1)) problems.Add("--start-in must be 0s-1h");
            if (Early > StartIn)
            {
                problems.Add("--early must not exceed --start-in (people arrive after the sale exists)");
            }

            if (AdmitRate is < 1 or > 1_000_000) problems.Add("--admit-rate must be 1-1,000,000");
        }

        return problems;
    }
}
