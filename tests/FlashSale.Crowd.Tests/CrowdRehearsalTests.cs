using System.Text.Json;
using FlashSale.Crowd;
using FlashSale.Server.Hosting;

namespace FlashSale.Crowd.Tests;

/// <summary><c>flashsale rehearse</c> end to end, small: embedded server, sale, crowd, verification, report.</summary>
public sealed class CrowdRehearsalTests
{
    [Fact]
    public async Task Rehearsal_runs_a_small_crowd_end_to_end_and_writes_a_self_contained_report()
    {
        var report = CrowdTestSupport.TempDirectory("crowd-report");
        try
        {
            var output = new StringWriter();
            var result = await Rehearsal.RunAsync(
                CrowdSettings.ForRehearsal() with
                {
                    Users = 400,
                    Stock = 50,
                    Items = 3,
                    Bots = 0.2,
                    Connections = 16,
                    StartIn = TimeSpan.Zero,
                    ReportDirectory = report,
                },
                InProcessServer.StartAsync, CrowdTestSupport.Console(output), TimeProvider.System,
                    CancellationToken.None);

            Assert.True(result.Verification.Passed, CrowdVerificationTests.Describe(result));
            Assert.Equal(50, result.Buyers.Winners);
            Assert.Equal([17, 17, 16], result.Items.Select(i => i.Stock));
            Assert.True(result.Client.IncludesServer);
            Assert.Contains("Rehearsal", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("rate limit 2/s, burst 3 per buyer", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(new RateLimit(2, 3), result.Run.ServerRateLimit);
            Assert.Equal("rehearse", result.Run.Command);
            Assert.True(result.PeakRequestsPerSecond > 0);

            var html = await File.ReadAllTextAsync(Path.Combine(report, CrowdReport.HtmlFile));
            Assert.Contains("<svg", html, StringComparison.Ordinal);
            Assert.Contains("Requests per second, by outcome", html, StringComparison.Ordinal);
            Assert.Contains("Units remaining", html, StringComparison.Ordinal);
            Assert.Contains("2/s, burst 3 per buyer", html, StringComparison.Ordinal);
            foreach (var external in new[] { "<script", "src=", "href=", "url(", "@import", "<link" })
            {
                Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
            }

            using var json = JsonDocument.Parse(
                await File.ReadAllBytesAsync(Path.Combine(report, CrowdReport.JsonFile)));
            var root = json.RootElement;
            Assert.Equal(result.Requests, root.GetProperty("requests").GetInt64());
            Assert.True(root.GetProperty("latency").GetProperty("p99").GetDouble() > 0);
            Assert.True(root.GetProperty("timeline").GetArrayLength() > 0);
            Assert.Equal(2,
                root.GetProperty("run").GetProperty("serverRateLimit").GetProperty("permitsPerSecond").GetInt32());
            Assert.Equal(3, root.GetProperty("run").GetProperty("serverRateLimit").GetProperty("burst").GetInt32());
            Assert.Equal("Passed",
                root.GetProperty("verification").GetProperty("checks")[0].GetProperty("status").GetString());
            Assert.DoesNotContain("tokenSecret", json.RootElement.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            CrowdTestSupport.DeleteQuietly(report);
        }
    }
}
