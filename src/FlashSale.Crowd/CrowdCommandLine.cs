using System.CommandLine;

namespace FlashSale.Crowd;

/// <summary>
/// The options of <c>crowd</c> and <c>rehearse</c>, defined once and read into one <see cref="CrowdSettings"/>; each
/// verb gets the options that mean something to it, with its own defaults shown in <c>--help</c>.
/// </summary>
public sealed class CrowdCommandLine
{
    private readonly CrowdSettings _defaults;
    private readonly Option<string?> _url =
        Make<string?>("--url", "The server's base URL (default http://127.0.0.1:8080).");
    private readonly Option<string?> _sale = Make<string?>("--sale", "The sale to buy in.");
    private readonly Option<string?> _tokenSecret = new("--token-secret")
    {
        Description = "FlashSale:TokenSecret, to mint buyers' tokens "
            + "(default: the configuration chain, FlashSale__TokenSecret).",
    };

    private readonly Option<string?> _adminKey = new("--admin-key")
    {
        Description = "FlashSale:AdminKey, to verify against the export (default: the configuration chain; "
            + "without one, only the crowd's own checks run).",
    };

    private readonly Option<int> _users = Make<int>("--users", "Distinct buyers (buyer-0000001, ...).");
    private readonly Option<int> _connections =
        Make<int>("--connections", "Connections, and so requests in flight at most.");
    private readonly Option<double?> _rate = new("--rate")
    {
        Description = "Open loop: buyers arriving per second (latency counted from each intended send time).",
    };

    private readonly Option<bool> _max =
        Make<bool>("--max", "Closed loop (the default): every connection sends as soon as it has an answer.");
    private readonly Option<string?> _duration =
        Make<string?>("--duration", "Longest run from the sale's start: 90s, 5m.");
    private readonly Option<int> _retries =
        Make<int>("--retries", "Retries per click on busy, rate_limited or errors; people wait Retry-After.");
    private readonly Option<double> _bots =
        Make<double>("--bots", "Fraction of buyers that are bots: no waiting, and more clicks after the answer.");
    private readonly Option<int> _botClicks = Make<int>("--bot-clicks", "Clicks a bot makes after its answer.");
    private readonly Option<string?> _report = Make<string?>("--report", "Directory for report.json and report.html.");
    private readonly Option<int> _stock = Make<int>("--stock", "Units on sale, over all items.");
    private readonly Option<int> _items =
        Make<int>("--items", "Items in the sale (item-1, item-2, ...), sharing the stock.");
    private readonly Option<string?> _startIn =
        Make<string?>("--start-in", "How soon after creation the sale opens: 5s, 1m.");
    private readonly Option<bool> _keepData =
        Make<bool>("--keep-data", "Keep the temporary data directory (journals) after the run.");

    private readonly Option<string?> _early =
        Make<string?>("--early", "People open the sale's page this long before the start: 0s, 3s.");
    private readonly Option<bool> _noAdmission = Make<bool>("--no-admission",
        "Run the sale without the recommended sale-day admission (no waiting room).");
    private readonly Option<int> _admitRate =
        Make<int>("--admit-rate", "Buyers the waiting room admits per second.");

    private static Option<T> Make<T>(string name, string description) => new(name) { Description = description };

    /// <summary>Options for the verb of <paramref name="defaults"/>, which also gives their default values.</summary>
    public CrowdCommandLine(CrowdSettings defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        _defaults = defaults;
        _users.DefaultValueFactory = _ => defaults.Users;
        _connections.DefaultValueFactory = _ => defaults.Connections;
        _retries.DefaultValueFactory = _ => defaults.Retries;
        _bots.DefaultValueFactory = _ => defaults.Bots;
        _botClicks.DefaultValueFactory = _ => defaults.BotClicks;
        _stock.DefaultValueFactory = _ => defaults.Stock;
        _items.DefaultValueFactory = _ => defaults.Items;
        _startIn.DefaultValueFactory = _ => $"{defaults.StartIn.TotalSeconds:0.###}s";
        _early.DefaultValueFactory = _ => $"{defaults.Early.TotalSeconds:0.###}s";
        _admitRate.DefaultValueFactory = _ => defaults.AdmitRate;
        if (defaults.Duration is { } duration) _duration.DefaultValueFactory = _ => $"{duration.TotalSeconds:0.###}s";
        else _duration.Description += " Default: until every buyer is done.";
    }

    /// <summary>Adds this verb's options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_defaults.Verb == CrowdVerb.Crowd)
        {
            command.Options.Add(_url);
            command.Options.Add(_sale);
            command.Options.Add(_tokenSecret);
            command.Options.Add(_adminKey);
        }
        else
        {
            command.Options.Add(_stock);
            command.Options.Add(_items);
            command.Options.Add(_startIn);
            command.Options.Add(_keepData);
            command.Options.Add(_noAdmission);
            command.Options.Add(_admitRate);
        }

        Option[] load =
            [_users, _connections, _rate, _max, _duration, _retries, _bots, _botClicks, _early, _report];
        foreach (var option in load)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Reads the options over the defaults. Problems of form (a duration that is not one, <c>--rate</c> with
    /// <c>--max</c>, a URL that is not one) are added to <paramref name="problems"/>; the rest is for
    /// <see cref="CrowdSettings.Validate"/>, once the caller has filled in what comes from elsewhere (secrets).
    /// </summary>
    public CrowdSettings Read(ParseResult parse, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var rate = parse.GetValue(_rate);
        if (rate is not null && parse.GetValue(_max))
        {
            problems.Add(
                "--rate and --max exclude each other: open loop at a rate, or closed loop as fast as answered");
        }

        var settings = _defaults with
        {
            Users = parse.GetValue(_users),
            Connections = parse.GetValue(_connections),
            Rate = rate,
            Duration = ReadDuration(parse, _duration, problems) ?? _defaults.Duration,
            Retries = parse.GetValue(_retries),
            Bots = parse.GetValue(_bots),
            BotClicks = parse.GetValue(_botClicks),
            ReportDirectory = parse.GetValue(_report),
            Early = ReadDuration(parse, _early, problems) ?? _defaults.Early,
        };
        if (_defaults.Verb == CrowdVerb.Crowd)
        {
            Uri? url = null;
            var urlText = parse.GetValue(_url) ?? "http://127.0.0.1:8080";
            if (Uri.TryCreate(urlText, UriKind.Absolute, out var parsed))
            {
                url = new Uri(parsed.ToString().TrimEnd('/') + "/");
            }

            else
            {
                problems.Add($"--url '{urlText}' is not an absolute URL like http://127.0.0.1:8080");
            }

            return settings with
            {
                Url = url,
                SaleId = parse.GetValue(_sale),
                TokenSecret = parse.GetValue(_tokenSecret),
                AdminKey = parse.GetValue(_adminKey),
            };
        }

        return settings with
        {
            Stock = parse.GetValue(_stock),
            Items = parse.GetValue(_items),
            StartIn = ReadDuration(parse, _startIn, problems) ?? _defaults.StartIn,
            KeepData = parse.GetValue(_keepData),
            Admission = !parse.GetValue(_noAdmission),
            AdmitRate = parse.GetValue(_admitRate),
        };
    }

    private static TimeSpan? ReadDuration(ParseResult parse, Option<string?> option, List<string> problems) =>
        ReadDuration(parse.GetValue(option), option.Name, problems);

    private static TimeSpan? ReadDuration(string? text, string name, List<string> problems)
    {
        if (text is null) return null;
        if (Durations.TryParse(text, out var duration)) return duration;
        problems.Add($"{name} '{text}' is not a duration like 90s, 5m or 1h");
        return null;
    }
}
