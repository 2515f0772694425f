using System.Diagnostics;
using FlashSale.Crowd.Tokens;
using Spectre.Console;

namespace FlashSale.Crowd;

/// <summary>
/// Runs a crowd against a sale: reads the sale and the server's clock, waits for the start, lets the buyers click
/// (closed or open loop) while showing progress, then verifies against the export and writes the report.
/// </summary>
internal sealed partial class CrowdRunner : IDisposable
{
    private readonly CrowdSettings _settings;
    private readonly IAnsiConsole _console;
    private readonly TimeProvider _time;
    private readonly SaleApi _api;
    private readonly Uri _url;
    private readonly IReadOnlyList<Uri> _gateways;
    private readonly long[] _answersByGateway;
    private readonly string _saleId;
    private readonly Lock _winsGate = new();
    private readonly List<CrowdWin> _wins = [];
    private BuyerPopulation _population = null!;
    private SaleInfo _sale = null!;
    private BuyerTokenMinter _tokens = null!;
    private DateTimeOffset _tokensExpire;
    private PurchaseClient _client = null!;
    private CrowdSchedule _schedule = null!;
    private CrowdRecorder _recorder = null!;
    private bool[] _soldOutSeen = [];
    private long _remaining = -1;
    private int _through;
    private int _winners;
    private int _gaveUp;
    private TimeSpan? _openFor;
    private long _start;

    /// <summary>How long before the start bots fire their first click.</summary>
    private static readonly TimeSpan BotLead = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A crowd for <paramref name="settings"/>, which must be valid (<see cref="CrowdSettings.Validate"/>).
    /// </summary>
    public CrowdRunner(CrowdSettings settings, IAnsiConsole console, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Url is null || settings.SaleId is null || settings.TokenSecret is null)
        {
            throw new ArgumentException(
                "a crowd needs the server's URL, the sale and the token secret", nameof(settings));
        }

        _settings = settings;
        _url = settings.Url;
        _gateways = settings.Gateways.Count > 0 ? settings.Gateways : [settings.Url];
        _answersByGateway = new long[_gateways.Count];
        _saleId = settings.SaleId;
        _console = console ?? throw new ArgumentNullException(nameof(console));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _api = new SaleApi(_url, _saleId, settings.AdminKey);
    }

    /// <summary>Set by <c>rehearse</c>: the server runs in this process, so the CPU figures include it.</summary>
    public bool ServerInProcess { get; init; }

    /// <summary>
    /// Runs the crowd. <paramref name="stop"/> ends the run early (Ctrl+C): answers so far are still verified and
    /// reported.
    /// </summary>
    public async Task<CrowdResult> RunAsync(CancellationToken stop)
    {
        _sale = await _api.GetSaleAsync(stop);
        if (_sale.Items.Count == 0) throw new CrowdSetupException($"sale '{_sale.Id}' has no items");
        var clock = await _api.MeasureClockAsync(_time, stop);
        _population = new BuyerPopulation(_settings.Users, _sale.Items.Count, _settings.Bots, _settings.Seed);
        _soldOutSeen = new bool[_sale.Items.Count];
        var runFor = _settings.Duration ?? TimeSpan.FromHours(1);
        var startsLocal = clock.ToLocal(_sale.StartsAt);
        _tokens = new BuyerTokenMinter(_settings.TokenSecret!);
        _tokensExpire = Max(startsLocal, _time.GetUtcNow()) + runFor + TimeSpan.FromHours(1);
        _client = new PurchaseClient(_gateways, _saleId, [.. _sale.Items.Select(i => i.Id)], _settings.Connections);
        var itemsText = string.Join(", ", _sale.Items.Select(i => $"{i.Id} x{i.Stock:N0}"));
        _console.MarkupLine(
            $"[bold]Crowd[/] of {_population.Count:N0} buyers ({_population.BotCount:N0} bots) " +
            $"on sale [bold]{Markup.Escape(_sale.Id)}[/] at {Markup.Escape(GatewaysText)}: " +
            $"{Markup.Escape(itemsText)}, limit {_sale.PerUserLimit} per buyer");
        _console.MarkupLine(
            $"  {(_settings.Rate is { } r ? $"open loop, {r:N0} arrivals/s" : "closed loop, as fast as answered")}, " +
            $"{_settings.Connections} connections, up to {_settings.Retries} retries; " +
            $"server clock {(clock.Offset >= TimeSpan.Zero ? "+" : "")}{clock.Offset.TotalMilliseconds:0.0} ms " +
            "from ours " +
            $"(round trip {clock.RoundTrip.TotalMilliseconds:0.0} ms)");

        // The sale's start as a local timestamp, from the server's clock.
        var untilStart = startsLocal - _time.GetUtcNow();
        var start = Stopwatch.GetTimestamp()
            + (untilStart > TimeSpan.Zero ? (long)(untilStart.TotalSeconds * Stopwatch.Frequency) : 0);

        // Against a sale already open, every time of the run counts from the crowd's own start, and says so.
        _openFor = untilStart < TimeSpan.Zero ? -untilStart : null;
        if (_openFor is { } openFor)
        {
            _console.MarkupLine(
                $"  the sale opened {openFor.TotalSeconds:0.0} s ago: " +
                "times below count from the crowd's start, not the sale's");
        }

        _start = start;
        _recorder = new CrowdRecorder(start);

        // People open the page from `Early` before the start on; bots fire all at once just before it.
        var firstArrival = start - (long)(_settings.Early.TotalSeconds * Stopwatch.Frequency);
        var botsAt = start - (long)(BotLead.TotalSeconds * Stopwatch.Frequency);
        _schedule = new CrowdSchedule(_population.Count, firstArrival, _settings.Rate, Stopwatch.Frequency,
            _population.BotCount > 0 ? _population.IsBot : null, botsAt);
        var deadline = _settings.Duration is { } duration
            ? start + (long)(duration.TotalSeconds * Stopwatch.Frequency)
            : long.MaxValue;
        await using var stopping = stop.Register(static state => ((CrowdSchedule)state!).Stop(), _schedule);

        // Buyers waiting on the page have their connections open before the start.
        var warmUpAt = Math.Min(firstArrival, botsAt) - Stopwatch.Frequency;
        if (Stopwatch.GetTimestamp() < warmUpAt)
        {
            _console.MarkupLine(
                $"  waiting {untilStart.TotalSeconds:0.0} s for the sale to open " +
                $"at {_sale.StartsAt:HH:mm:ss.fff} UTC (server time)");
            try
            {
                await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), warmUpAt), stop);
            }
            catch (OperationCanceledException)
            {
                // Stopped before the start: the run below stops at once and reports nothing sent.
            }
        }

        if (!stop.IsCancellationRequested) await _client.WarmUpAsync(Math.Min(_settings.Connections, 512), stop);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wallBefore = Stopwatch.GetTimestamp();
        var workers = new Task[_settings.Connections];
        var slots = new RequestSlot[_settings.Connections];
        var timeout = RequestSlot.Ticks(_settings.RequestTimeout);
        for (var i = 0; i < workers.Length; i++)
        {
            var slot = slots[i] = new RequestSlot();
            var gateway = i % _gateways.Count;
            workers[i] = Task.Run(() => WorkAsync(slot, gateway), CancellationToken.None);
        }

        var all = Task.WhenAll(workers);
        using var pollStop = new CancellationTokenSource();
        var poll = PollRemainingAsync(start, pollStop.Token);

        await new CrowdConsole(_console).ShowProgressAsync(all, Snapshot, () =>
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= deadline) _schedule.Stop();
            foreach (var slot in slots) slot.Check(now, timeout);
            if (now >= start && now >= _recorder.NextSampleAt) _recorder.Sample(now, Remaining);
        });
        await all;
        foreach (var slot in slots) slot.Dispose();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var wall = Stopwatch.GetElapsedTime(wallBefore);
        await pollStop.CancelAsync();
        await poll;
        _remaining = await _api.TryGetRemainingAsync(CancellationToken.None) ?? _remaining;
        _recorder.Sample(Math.Max(Stopwatch.GetTimestamp(), start), Remaining, final: true);
        process.Refresh();

        // Verification: what the crowd heard against what the server exported.
        ServerStats? stats = null;
        List<ExportedReservation>? export = null;
        if (_settings.AdminKey is not null)
        {
            _console.MarkupLine("Verifying against the admin export...");
            stats = await _api.GetStatsAsync(CancellationToken.None);
            export = await _api.ExportAsync(CancellationToken.None);
        }

        List<CrowdWin> wins;
        lock (_winsGate) wins = [.. _wins];
        var neverClicked = _schedule.NeverArrived;
        var stillWaiting = _schedule.StillWaiting;
        var verification = CrowdVerifier.Verify(new VerificationInput(
            _sale, _population, wins, NotThrough(neverClicked, stillWaiting), _recorder.Errors, export));
        var result = Result(
            clock, wins, export, stats, verification, cpu, wall, process.PeakWorkingSet64, neverClicked, stillWaiting);
        if (_settings.ReportDirectory is { } directory) CrowdReport.Write(result, directory);
        return result;
    }

    public void Dispose()
    {
        _api.Dispose();
        _client?.Dispose();
    }

    private string GatewaysText => _gateways.Count == 1
        ? _url.ToString()
        : $"{_gateways.Count} gateways ({string.Join(", ", _gateways)}; connections spread evenly)";

    private long? Remaining => Volatile.Read(ref _remaining) is var remaining and >= 0 ? remaining : null;

    private string? NotThrough(int neverClicked, int stillWaiting)
    {
        var reasons = new List<string>();
        if (neverClicked > 0) reasons.Add($"{neverClicked:N0} never clicked (the run stopped)");
        if (stillWaiting > 0) reasons.Add($"{stillWaiting:N0} were waiting to retry when it stopped");
        var trying = _population.Count - neverClicked - Volatile.Read(ref _through) - Volatile.Read(ref _gaveUp);
        if (Volatile.Read(ref _gaveUp) > 0) reasons.Add($"{_gaveUp:N0} gave up after {_settings.Retries} retries");
        else if (trying > 0 && stillWaiting == 0) reasons.Add($"{trying:N0} got no decision");
        return reasons.Count == 0 ? null : string.Join(", ", reasons);
    }

    private async Task PollRemainingAsync(long start, CancellationToken cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                if (await _api.TryGetRemainingAsync(cancel) is { } remaining) Volatile.Write(ref _remaining, remaining);
                await Task.Delay(
                    Stopwatch.GetTimestamp() < start ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(500),
                    cancel);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the run.
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
