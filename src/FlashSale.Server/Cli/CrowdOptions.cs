using System.CommandLine;
using System.Globalization;

namespace FlashSale.Server.Cli;

/// <summary>The load options <c>crowd</c> and <c>rehearse</c> share.</summary>
internal sealed class CrowdOptions
{
    private readonly Option<int> _users = new("--users") { Description = "Distinct buyers (buyer-0000001, ...)." };
    private readonly Option<int> _connections = new("--connections") { Description = "Connections, and so requests in flight at most." };
    private readonly Option<double?> _rate = new("--rate") { Description = "Open loop: buyers arriving per second (latency counted from each intended send time)." };
    private readonly Option<bool> _max = new("--max") { Description = "Closed loop (the default): every connection sends as soon as it has an answer." };
    private readonly Option<string?> _duration = new("--duration") { Description = "Longest run from the sale's start: 90s, 5m (default: until every buyer is done)." };
    private readonly Option<int> _retries = new("--retries") { Description = "Retries per click on busy, rate_limited or errors; people wait Retry-After.", DefaultValueFactory = _ => 3 };
    private readonly Option<double> _bots = new("--bots") { Description = "Fraction of buyers that are bots: no waiting, and more clicks after the answer." };
    private readonly Option<int> _botClicks = new("--bot-clicks") { Description = "Clicks a bot makes after its answer.", DefaultValueFactory = _ => 3 };
    private readonly Option<string?> _report = new("--report") { Description = "Directory for report.json and report.html." };

    public void AddTo(Command command, int defaultUsers, int defaultConnections, double defaultBots = 0, string? defaultDuration = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        _users.DefaultValueFactory = _ => defaultUsers;
        _connections.DefaultValueFactory = _ => defaultConnections;
        _bots.DefaultValueFactory = _ => defaultBots;
        if (defaultDuration is not null)
        {
            _duration.DefaultValueFactory = _ => defaultDuration;
            _duration.Description = "Longest run from the sale's start: 90s, 5m.";
        }
        command.Options.Add(_users);
        command.Options.Add(_connections);
        command.Options.Add(_rate);
        command.Options.Add(_max);
        command.Options.Add(_duration);
        command.Options.Add(_retries);
        command.Options.Add(_bots);
        command.Options.Add(_botClicks);
        command.Options.Add(_report);
    }

    /// <summary>Reads the options; false (with problems added) when they do not make sense.</summary>
    public bool TryRead(ParseResult parse, out LoadOptions options, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        var rate = parse.GetValue(_rate);
        if (rate is not null && parse.GetValue(_max)) problems.Add("--rate and --max exclude each other: open loop at a rate, or closed loop as fast as answered");
        TimeSpan? duration = null;
        if (parse.GetValue(_duration) is { } text)
        {
            if (TokenCommand.TryParseDuration(text, out var parsed)) duration = parsed;
            else problems.Add(string.Create(CultureInfo.InvariantCulture, $"--duration '{text}' is not a duration like 90s, 5m or 1h"));
        }

        options = new LoadOptions(parse.GetValue(_users), parse.GetValue(_connections), rate, duration, parse.GetValue(_retries), parse.GetValue(_bots), parse.GetValue(_botClicks), parse.GetValue(_report));
        return problems.Count == before;
    }
}
