using System.Globalization;
using Spectre.Console;

namespace FlashSale.Crowd;

/// <summary>
/// The crowd in the terminal: live progress while it runs (a plain line a second when output is not a terminal), then
/// the summary.
/// </summary>
internal sealed class CrowdConsole(IAnsiConsole console)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Shows progress until <paramref name="run"/> ends, calling <paramref name="tick"/> at every refresh.
    /// </summary>
    public async Task ShowProgressAsync(Task run, Func<ProgressSnapshot> snapshot, Action tick)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(tick);
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(Render(snapshot())).AutoClear(false).StartAsync(async live =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(Refresh));
                    tick();
                    live.UpdateTarget(Render(snapshot()));
                }
            });
            return;
        }

        var lastLine = double.MinValue;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(Refresh));
            tick();
            var now = snapshot();
            if (now.Seconds >= 0 && now.Seconds - lastLine >= 1)
            {
                lastLine = now.Seconds;
                console.Profile.Out.Writer.WriteLine(Line(now));
            }
        }
    }

    private static string Share(FairnessGroup group) =>
        $"{N(group.Winners)} won of {N(group.Buyers)} ({group.WinShare:P1} of winners, {group.HeadShare:P1} of "
        + $"buyers), {N(group.Blocked)} blocked";

    /// <summary>The summary tables and the verification, after the run.</summary>
    public void Summary(CrowdResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var figures = new Table()
            .Border(TableBorder.Rounded)
            .Title("[bold]Crowd summary[/]")
            .AddColumn("figure")
            .AddColumn(new TableColumn("value").RightAligned());
        figures.AddRow("requests", N(result.Requests));
        figures.AddRow("wall time (first send to last answer)", $"{result.Seconds:0.00} s");
        figures.AddRow(
            "throughput", $"{result.RequestsPerSecond:N0} req/s (peak second {result.PeakRequestsPerSecond:N0})");
        var latency = result.Latency;
        figures.AddRow($"latency p50 / p90 / p99", $"{Ms(latency.P50)} / {Ms(latency.P90)} / {Ms(latency.P99)}");
        figures.AddRow("latency p99.9 / max", $"{Ms(latency.P999)} / {Ms(latency.Max)}");
        var service = result.ServiceTime;
        figures.AddRow(
            "service time p50 / p99 (from the actual send)",
            $"{Ms(service.P50)} / {Ms(service.P99)} (the rest of the latency is the crowd's own queue)");
        figures.AddRow(
            "time to sell out",
            result.SellOutSeconds is { } s ? $"{s:0.000} s after {result.Run.Zero} (last won answer)" : "not sold out");
        if (result.ServerSoldOutText() is { } server) figures.AddRow("time to sell out (server's soldOutAt)", server);
        if (result.Run.SaleOpenForSeconds is { } openFor)
        {
            figures.AddRow(
                "sale already open", $"{openFor:0.0} s when the crowd started; times count from the crowd's start");
        }

        figures.AddRow("server rate limit", Markup.Escape(result.Run.RateLimitText));
        foreach (var gateway in result.Run.Gateways ?? [])
        {
            figures.AddRow($"answered by {Markup.Escape(gateway.Url)}", N(gateway.Answers));
        }

        if (result.Run.Admission is { } admission) figures.AddRow("admission", Markup.Escape(admission));
        if (result.Fairness is { } fairness)
        {
            figures.AddRow(
                "fairness: bots / people",
                $"{Share(fairness.Bots)} / {Share(fairness.People)}");
            figures.AddRow(
                "fairness ratio (bots' share of winners / of buyers)",
                fairness.Ratio is { } ratio ? $"{ratio:0.00}" : "n/a (no bots or no winners)");
        }

        var buyers = result.Buyers;
        figures.AddRow(
            "buyers",
            $"{N(buyers.Total)} ({N(buyers.Bots)} bots): {N(buyers.Through)} got a decision, " +
            $"{N(buyers.Winners)} won, {N(buyers.GaveUp)} gave up" +
            (buyers.NeverClicked > 0 ? $", {N(buyers.NeverClicked)} never clicked" : ""));
        foreach (var outcome in CrowdOutcomes.All)
        {
            var count = result.Count(outcome);
            if (count > 0 || outcome is CrowdOutcome.Won or CrowdOutcome.SoldOut or CrowdOutcome.Error)
            {
                figures.AddRow($"  {outcome.Word()}", N(count));
            }
        }

        foreach (var (kind, count) in result.Errors.OrderByDescending(e => e.Value).Take(5))
        {
            figures.AddRow($"    error: {Markup.Escape(kind)}", N(count));
        }

        var client = result.Client;
        var whose = client.IncludesServer ? "process CPU (crowd + embedded server)" : "client CPU";
        figures.AddRow(
            whose,
            $"{client.CpuSeconds:0.00} s = {client.MicrosPerRequest:0.0} us/request, " +
            $"{client.CpuShare:P0} of {client.Cores} cores");
        figures.AddRow(
            "memory", $"peak working set {client.PeakWorkingSetMb:N0} MB; buyer state {client.BuyerStateMb:0.0} MB");
        console.Write(figures);

        var checks = new Table()
            .Border(TableBorder.Rounded)
            .Title("[bold]Verification[/]")
            .AddColumn("check")
            .AddColumn("result")
            .AddColumn("detail");
        foreach (var check in result.Verification.Checks)
        {
            var status = check.Status switch
            {
                CheckStatus.Passed => "[green]passed[/]",
                CheckStatus.Failed => "[red bold]FAILED[/]",
                CheckStatus.Skipped => "[yellow]skipped[/]",
                _ => "[blue]info[/]",
            };
            checks.AddRow(new Markup(Markup.Escape(check.Name)), new Markup(status), new Text(check.Detail));
        }

        console.Write(checks);
        console.MarkupLine(
            result.Verification.Passed ? "[green bold]All checks passed.[/]" : "[red bold]Verification failed.[/]");
    }

    private static Panel Render(ProgressSnapshot now)
    {
        var grid = new Grid()
            .AddColumn()
            .AddColumn(new GridColumn().RightAligned())
            .AddColumn()
            .AddColumn(new GridColumn().RightAligned());
        if (now.Seconds < 0)
        {
            grid.AddRow(new Markup("[bold]opens in[/]"), new Text($"{-now.Seconds:0.0} s"), new Text(""), new Text(""));
            grid.AddRow(
                new Text("units left"),
                new Text(now.UnitsLeft is { } waiting ? N(waiting) : "?"),
                new Text("buyers"),
                new Text(N(now.Buyers)));
            return new Panel(grid).Header("crowd").Border(BoxBorder.Rounded);
        }

        grid.AddRow(
            new Markup("[bold]elapsed[/]"),
            new Text($"{now.Seconds:0.0} s"),
            new Markup("[bold]requests/s[/]"),
            new Text($"{now.RequestsPerSecond:N0}"));
        grid.AddRow(
            new Text("requests"),
            new Text(N(now.Total)),
            new Text("p50 / p99"),
            new Text($"{Ms(now.P50Ms)} / {Ms(now.P99Ms)}"));
        grid.AddRow(
            new Text("units left"),
            new Text(now.UnitsLeft is { } left ? N(left) : "?"),
            new Text("buyers decided"),
            new Text($"{N(now.Through)} / {N(now.Buyers)}"));
        var outcomes = CrowdOutcomes.All
            .Where(o => now.Answers[(int)o] > 0 || o is CrowdOutcome.Won or CrowdOutcome.SoldOut)
            .ToList();
        for (var i = 0; i < outcomes.Count; i += 2)
        {
            var second = i + 1 < outcomes.Count ? outcomes[i + 1] : (CrowdOutcome?)null;
            grid.AddRow(
                new Markup($"[{outcomes[i].Colour()}]{outcomes[i].Word()}[/]"),
                new Text(N(now.Answers[(int)outcomes[i]])),
                second is { } o ? new Markup($"[{o.Colour()}]{o.Word()}[/]") : new Text(""),
                new Text(second is { } p ? N(now.Answers[(int)p]) : ""));
        }

        return new Panel(grid).Header("crowd").Border(BoxBorder.Rounded);
    }

    private static string Line(ProgressSnapshot now)
    {
        var outcomes = string.Join(
            " ",
            CrowdOutcomes.All.Where(o => now.Answers[(int)o] > 0).Select(o => $"{o.Word()}={N(now.Answers[(int)o])}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"  {now.Seconds,6:0.0}s  {now.RequestsPerSecond,8:N0} req/s  p50 {Ms(now.P50Ms)} p99 {Ms(now.P99Ms)}  " +
            $"units left {(now.UnitsLeft is { } left ? N(left) : "?")}  " +
            $"decided {N(now.Through)}/{N(now.Buyers)}  {outcomes}");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms switch
    {
        >= 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.00} s"),
        >= 10 => string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms"),
    };
}
