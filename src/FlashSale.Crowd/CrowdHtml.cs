using System.Globalization;
using System.Net;
using System.Text;

namespace FlashSale.Crowd;

/// <summary>The report as one self-contained HTML page: figures, checks, and charts over time in inline SVG.</summary>
internal static class CrowdHtml
{
    public static string Render(CrowdResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        var run = result.Run;
        var title = $"FlashSale crowd: {run.SaleId}, {run.Users:N0} buyers";
        var rateText = run.Rate is { } rate ? $" at {rate:N0} arrivals/s" : "";
        var verdict = result.Verification.Passed ? "passed" : "failed";
        var verdictText = result.Verification.Passed ? "All checks passed" : "Verification failed";
        var opened = result.Sale.StartsAt.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var openText = run.SaleOpenForSeconds is { } openFor
            ? $" The sale had been open {openFor:0.0} s when the crowd started: times count from the crowd's start."
            : "";
        if (run.Gateways is { } gateways)
        {
            openText += $" Purchases spread over {gateways.Count} gateways: "
                + string.Join(", ", gateways.Select(g => $"{g.Url} answered {N(g.Answers)}")) + ".";
        }

        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}}</title>
            <style>
            body {
              font-family: system-ui, sans-serif; margin: 1.5em auto; padding: 0 12px; max-width: 920px;
              color: #212121; line-height: 1.4;
            }
            h1 { font-size: 1.5em; overflow-wrap: anywhere; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; width: 100%; }
            th, td {
              border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top;
              overflow-wrap: break-word;
            }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .wide { overflow-x: auto; }
            .passed { color: #2e7d32; font-weight: bold; } .failed { color: #c62828; font-weight: bold; }
            .skipped { color: #b26a00; } .info { color: #1565c0; }
            td.passed, td.failed, td.skipped, td.info { white-space: nowrap; }
            svg {
              display: block; margin: 0.5em 0 1.5em; width: 100%; height: auto; font-family: system-ui, sans-serif;
            }
            </style></head><body>
            <h1>{{E(title)}}</h1>
            <p>Sale <b>{{E(run.SaleId)}}</b> at {{E(run.Url)}}, opened {{opened}} UTC; {{E(run.Mode)}} loop{{rateText}},
            {{run.Connections}} connections, {{run.Retries}} retries, {{N(run.Bots)}} bots making {{run.BotClicks}} more
            clicks each. Server rate limit: {{E(run.RateLimitText)}}.{{E(openText)}}</p>
            <h2 class="{{verdict}}">{{verdictText}}</h2>
            <table><tr><th>check</th><th>result</th><th>detail</th></tr>

            """);
        foreach (var check in result.Verification.Checks)
        {
            var status = check.Status.ToString().ToLowerInvariant();
            html.Append(
                CultureInfo.InvariantCulture,
                $"<tr><td>{E(check.Name)}</td><td class=\"{status}\">{status}</td><td>{E(check.Detail)}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Figures</h2>\n<table>\n");
        Row(html, "server rate limit", run.RateLimitText);
        var latency = result.Latency;
        Row(html, "requests", N(result.Requests));
        Row(html, "wall time, first send to last answer", $"{result.Seconds:0.00} s");
        Row(html, "throughput", $"{result.RequestsPerSecond:N0} req/s (peak second {result.PeakRequestsPerSecond:N0})");
        Row(
            html,
            "latency p50 / p90 / p99 / p99.9 / max",
            $"{latency.P50:0.00} / {latency.P90:0.00} / {latency.P99:0.00} / " +
            $"{latency.P999:0.00} / {latency.Max:0.00} ms");
        Row(
            html,
            "service time p50 / p99 (send to answer)",
            $"{result.ServiceTime.P50:0.00} / {result.ServiceTime.P99:0.00} ms");
        Row(
            html,
            "time to sell out",
            result.SellOutSeconds is { } sellOut
                ? $"{sellOut:0.000} s after {run.Zero} (last won answer)"
                : "not sold out");
        if (result.ServerSoldOutText() is { } server) Row(html, "time to sell out, server's soldOutAt", server);
        var buyers = result.Buyers;
        Row(
            html,
            "buyers",
            $"{N(buyers.Total)} ({N(buyers.Bots)} bots); {N(buyers.Through)} got a decision, " +
            $"{N(buyers.Winners)} won, " +
            $"{N(buyers.GaveUp)} gave up, {N(buyers.NeverClicked)} never clicked");
        if (run.Admission is { } admission) Row(html, "admission", admission);
        if (result.Fairness is { } fairness)
        {
            foreach (var (side, group) in new[] { ("bots", fairness.Bots), ("people", fairness.People) })
            {
                Row(
                    html,
                    "fairness: " + side,
                    $"{N(group.Winners)} won of {N(group.Buyers)} buyers: {group.WinShare:P1} of winners, " +
                    $"{group.HeadShare:P1} of buyers; {N(group.Blocked)} blocked");
            }

            Row(
                html,
                "fairness ratio (bots' share of winners / of buyers)",
                fairness.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "n/a");
        }

        foreach (var (word, count) in result.Outcomes) Row(html, "answers: " + word, N(count));
        foreach (var (kind, count) in result.Errors) Row(html, "error: " + kind, N(count));
        var client = result.Client;
        Row(
            html,
            client.IncludesServer ? "process CPU (crowd and embedded server)" : "client CPU",
            $"{client.CpuSeconds:0.00} s, {client.MicrosPerRequest:0.0} µs per request, " +
            $"{client.CpuShare:P0} of {client.Cores} cores");
        Row(
            html,
            "memory",
            $"peak working set {client.PeakWorkingSetMb:N0} MB, buyer state {client.BuyerStateMb:0.0} MB");
        html.Append(
            "</table>\n<h2>Items</h2>\n<div class=\"wide\"><table><tr><th>item</th><th>stock</th><th>buyers</th>" +
            "<th>won (announced)</th><th>live in export</th><th>sold out seen</th></tr>\n");
        foreach (var item in result.Items)
        {
            html.Append(
                CultureInfo.InvariantCulture,
                $"<tr><td>{E(item.Id)}</td><td class=\"n\">{N(item.Stock)}</td><td class=\"n\">{N(item.Buyers)}</td>" +
                $"<td class=\"n\">{N(item.Won)}</td><td class=\"n\">{(item.Exported is { } e ? N(e) : "-")}</td>" +
                $"<td>{(item.SoldOutSeen ? "yes" : "no")}</td></tr>\n");
        }

        html.Append("</table></div>\n<h2>Over time</h2>\n");
        var step = result.TimelineResolutionSeconds < 1 ? $"{result.TimelineResolutionSeconds:0.0#} s" : "second";
        var axis = "seconds since " + run.Zero;
        var timeline = result.Timeline;
        var x = timeline.Select(p => p.Seconds).ToList();
        var rates = CrowdOutcomes.All
            .Where(o => timeline.Any(p => p.Answers.ContainsKey(o.Word())))
            .Select(o => new SvgChart.Series(
                o.Word(),
                o.Colour(),
                [.. timeline.Select(p =>
                    (double?)(p.Interval > 0 ? p.Answers.GetValueOrDefault(o.Word()) / p.Interval : 0))]))
            .ToList();
        html.Append(SvgChart.Stacked($"Requests per second, by outcome (every {step})", "requests/s", axis, x, rates))
            .Append('\n');
        html.Append(SvgChart.Lines($"Latency per {step} (from the intended send time)", "ms (log scale)", axis, x,
        [
            new("p50", "#2e7d32", [.. timeline.Select(p => p.Total > 0 ? (double?)p.P50Ms : null)]),
            new("p90", "#1565c0", [.. timeline.Select(p => p.Total > 0 ? (double?)p.P90Ms : null)]),
            new("p99", "#ef6c00", [.. timeline.Select(p => p.Total > 0 ? (double?)p.P99Ms : null)]),
            new("max", "#c62828", [.. timeline.Select(p => p.Total > 0 ? (double?)p.MaxMs : null)]),
        ], log: true)).Append('\n');
        var stock = result.Sale.TotalStock;
        html.Append(SvgChart.Lines("Units remaining", "units", axis, x,
        [
            new("server says", "#1565c0", [.. timeline.Select(p => p.UnitsRemaining is { } u ? (double?)u : null)]),
            new("stock − won heard", "#2e7d32", [.. timeline.Select(p => (double?)Math.Max(0, stock - p.CrowdWins))]),
        ], log: false)).Append('\n');
        html.Append(
            CultureInfo.InvariantCulture,
            $"<p>Written by <code>flashsale {E(run.Command)}</code>. Every figure is also in report.json.</p>\n" +
            $"</body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td class=\"n\">{E(value)}</td></tr>\n");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
