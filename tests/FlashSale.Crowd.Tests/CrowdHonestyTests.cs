using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;

namespace FlashSale.Crowd.Tests;

/// <summary>
/// The figures of a run agree with each other and say what they were measured under: the times against a sale that
/// was already open, the peak second of a short run, the timeline's resolution, the report at a narrow width.
/// </summary>
public sealed partial class CrowdHonestyTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public async Task Against_a_sale_already_open_the_crowds_and_the_servers_sell_out_times_count_from_the_same_zero()
    {
        var (app, url, data) = await CrowdTestSupport.StartRealServerAsync();
        try
        {
            // Opened a minute ago: the API refuses a past start, so the sale goes in through the engine.
            var created = await app.Services.GetRequiredService<ISaleStore>().CreateSaleAsync(new SaleDefinition(
                "late", "Late", DateTimeOffset.UtcNow.AddSeconds(-60), null, 1, 3600, null,
                [new ItemDefinition("phone", "phone", 10m, 5)]));
            Assert.True(created.Sale is not null, created.Error);
            var output = new StringWriter();
            using var runner = new CrowdRunner(
                CrowdTestSupport.Settings(url, "late") with
                {
                    AdminKey = CrowdTestSupport.AdminKey,
                    Users = 40,
                    Connections = 4,
                },
                CrowdTestSupport.Console(output), TimeProvider.System);

            var result = await runner.RunAsync(CancellationToken.None);

            Assert.True(result.Verification.Passed, CrowdVerificationTests.Describe(result));
            var openFor = Assert.IsType<double>(result.Run.SaleOpenForSeconds);
            Assert.InRange(openFor, 59, 3600);
            var crowd = Assert.IsType<double>(result.SellOutSeconds);
            var server = Assert.IsType<double>(result.ServerSellOutSeconds);

            // Before, the server's time counted from the sale's opening (about 60 s) and the crowd's from its own
            // start.
            Assert.True(Math.Abs(server - crowd) < openFor / 2, $"crowd {crowd:0.000} s, server {server:0.000} s");
            Assert.True(result.PeakRequestsPerSecond > 0);
            Assert.Contains("times below count from the crowd's start", output.ToString(), StringComparison.Ordinal);
            Assert.Equal("the crowd started", result.Run.Zero);

            var summary = new StringWriter();
            var console = CrowdTestSupport.Console(summary);
            console.Profile.Width = 240;
            new CrowdConsole(console).Summary(result);
            Assert.Contains("after the crowd started (last won answer)", summary.ToString(), StringComparison.Ordinal);
            Assert.Contains("sale already open", summary.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
            CrowdTestSupport.DeleteQuietly(data);
        }
    }

    [Fact]
    public void A_run_shorter_than_a_second_has_a_timeline_in_tenths_and_all_its_answers_in_its_peak_second()
    {
        var recorder = new CrowdRecorder(start: 0);
        var won = Answer(CrowdOutcome.Won);
        var soldOut = Answer(CrowdOutcome.SoldOut);
        for (var i = 0; i < 30; i++)
        {
            var at = Ticks(0.01 * (i + 0.5));
            while (recorder.NextSampleAt <= at) recorder.Sample(recorder.NextSampleAt, 0);
            recorder.Record(i < 5 ? won : soldOut, at, at, at + Ticks(0.002));
        }

        recorder.Sample(Ticks(0.31), 0, final: true);

        Assert.Equal(0.1, recorder.Resolution, 3);
        Assert.Equal(3, recorder.Timeline.Count);
        Assert.Equal(30, recorder.Timeline.Sum(p => p.Total));
        Assert.Equal(30, recorder.PeakSecond);
        Assert.All(recorder.Timeline, point => Assert.True(point.P50Ms > 0));
    }

    [Fact]
    public void A_run_longer_than_the_fine_span_has_a_timeline_in_seconds_and_its_busiest_second_as_the_peak()
    {
        var recorder = new CrowdRecorder(start: 0);
        var answer = Answer(CrowdOutcome.SoldOut);
        for (var second = 0; second < 20; second++)
        {
            var answers = second == 12 ? 50 : 10;
            for (var i = 0; i < answers; i++)
            {
                // The sampler's ticks, in time order with the answers.
                var at = Ticks(second + ((i + 0.5) / answers));
                while (recorder.NextSampleAt <= at) recorder.Sample(recorder.NextSampleAt, null);
                recorder.Record(answer, at, at, at + Ticks(0.001));
            }
        }

        recorder.Sample(Ticks(20), null, final: true);

        Assert.Equal(1, recorder.Resolution);
        Assert.InRange(recorder.Timeline.Count, 19, 21);
        Assert.Equal(10 * 19 + 50, recorder.Timeline.Sum(p => p.Total));
        Assert.Equal(50, recorder.PeakSecond);
    }

    [Fact]
    public async Task The_report_says_the_rate_limit_and_fits_a_narrow_window()
    {
        var result = await Task.Run(() => SmallResult());
        var html = CrowdHtml.Render(result);

        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html,
            StringComparison.Ordinal);
        Assert.Contains("2/s, burst 3 per buyer (the rehearsal&#39;s own, not the server&#39;s default)", html,
            StringComparison.Ordinal);
        Assert.Contains("Latency per 0.1 s", html, StringComparison.Ordinal);

        // Charts scale with the page: a view box and no fixed width, so nothing is wider than a 700 px window.
        foreach (Match svg in SvgTag().Matches(html))
        {
            Assert.Contains("viewBox=", svg.Value, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\swidth=""\d+""", svg.Value);
        }

        Assert.Matches(@"svg \{[^}]*width: 100%", html);
        Assert.Matches(@"table \{[^}]*width: 100%", html);

        using var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(result, CrowdJson.Default.CrowdResult));
        var limit = json.RootElement.GetProperty("run").GetProperty("serverRateLimit");
        Assert.Equal(2, limit.GetProperty("permitsPerSecond").GetInt32());
        Assert.Equal(3, limit.GetProperty("burst").GetInt32());
        Assert.Equal(0.1, json.RootElement.GetProperty("timelineResolutionSeconds").GetDouble(), 3);
    }

    private static CrowdResult SmallResult()
    {
        var recorder = new CrowdRecorder(start: 0);
        recorder.Record(Answer(CrowdOutcome.Won), 0, 0, Ticks(0.003));
        recorder.Sample(Ticks(0.1), 0, final: true);
        var sale = new SaleInfo(
            "s", "Sale", DateTimeOffset.UnixEpoch, "open", 1, [new SaleItemInfo("i", "Item", 1, 0)]);
        var run = new RunInfo(
            "http://127.0.0.1:1/", "s", 1, 0, 1, "closed", null, null, 3, 3, DateTimeOffset.UnixEpoch, 0, 0, null,
            "rehearse", new RateLimit(2, 3), null);
        return new CrowdResult(
            run, sale, 1, 0.003, 333, recorder.PeakSecond,
            LatencySummary.Of(recorder.Latency), LatencySummary.Of(recorder.Service),
            new Dictionary<string, long> { ["won"] = 1 }, new Dictionary<string, long>(),
            new BuyerCounts(1, 0, 1, 1, 0, 0, 0), 0.003, 0.002, new ClientCost(0, 0, 0, 2, 1, 0, true),
            [new ItemResult("i", 1, 1, 1, 1, true)], null, recorder.Resolution, [.. recorder.Timeline],
            new Verification([new CheckResult("c", CheckStatus.Passed, "ok")], 0));
    }

    private static PurchaseAnswer Answer(CrowdOutcome outcome) => outcome == CrowdOutcome.Won
        ? new(outcome, 201, TimeSpan.Zero, "r", null, null, null)
        : new(outcome, 409, TimeSpan.Zero, null, null, null, null);

    private static long Ticks(double seconds) => (long)(seconds * Second);

    [GeneratedRegex("<svg[^>]*>")]
    private static partial Regex SvgTag();
}
