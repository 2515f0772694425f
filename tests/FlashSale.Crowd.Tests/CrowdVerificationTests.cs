using FlashSale.Crowd;

namespace FlashSale.Crowd.Tests;

/// <summary>The crowd against the real server on loopback: small crowds, every check passes.</summary>
public sealed class CrowdVerificationTests
{
    [Fact]
    public async Task Crowd_against_a_real_server_passes_verification()
    {
        var (app, url, data) = await CrowdTestSupport.StartRealServerAsync();
        try
        {
            await CrowdTestSupport.CreateSaleAsync(url, "phones", DateTimeOffset.UtcNow.AddMilliseconds(400), 1,
                ("phone", 20), ("case", 13));
            using var runner = new CrowdRunner(
                CrowdTestSupport.Settings(url, "phones") with
                {
                    AdminKey = CrowdTestSupport.AdminKey,
                    Users = 150,
                    Connections = 8,
                    Bots = 0.2,
                },
                CrowdTestSupport.Console(), TimeProvider.System);

            var result = await runner.RunAsync(CancellationToken.None);

            Assert.True(result.Verification.Passed, Describe(result));
            Assert.All(result.Verification.Checks,
                check => Assert.True(check.Status is CheckStatus.Passed or CheckStatus.Info,
                $"{check.Name}: {check.Status} {check.Detail}"));
            Assert.Equal(33, result.Buyers.Winners);
            Assert.Equal(150, result.Buyers.Through);
            Assert.Equal(33, result.Count(CrowdOutcome.Won));
            Assert.True(result.Count(CrowdOutcome.SoldOut) >= 150 - 33, Describe(result));
            Assert.True(result.Count(CrowdOutcome.LimitReached) > 0,
                "bots click again after winning and hear limit_reached");
            Assert.All(result.Items, item => Assert.True(item.SoldOutSeen));
            Assert.NotNull(result.SellOutSeconds);
            Assert.Equal(result.Requests, result.Latency.Count);
        }
        finally
        {
            await app.DisposeAsync();
            CrowdTestSupport.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Open_loop_crowd_sends_at_its_rate_and_passes_verification()
    {
        var (app, url, data) = await CrowdTestSupport.StartRealServerAsync();
        try
        {
            await CrowdTestSupport.CreateSaleAsync(url, "gpus", DateTimeOffset.UtcNow.AddSeconds(-1), 1, ("gpu", 500));
            using var runner = new CrowdRunner(
                CrowdTestSupport.Settings(url, "gpus") with
                {
                    AdminKey = CrowdTestSupport.AdminKey,
                    Users = 100,
                    Connections = 4,
                    Rate = 400,
                },
                CrowdTestSupport.Console(), TimeProvider.System);

            var result = await runner.RunAsync(CancellationToken.None);

            Assert.True(result.Verification.Passed, Describe(result));
            Assert.Equal("open", result.Run.Mode);
            Assert.Equal(100, result.Buyers.Winners);

            // 100 arrivals at 400 a second take about a quarter of a second, however fast the server answers.
            Assert.True(result.Seconds >= 0.2, $"{result.Seconds} s");
        }
        finally
        {
            await app.DisposeAsync();
            CrowdTestSupport.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Crowd_without_the_admin_key_runs_its_own_checks_and_skips_the_export_ones()
    {
        var (app, url, data) = await CrowdTestSupport.StartRealServerAsync();
        try
        {
            await CrowdTestSupport.CreateSaleAsync(url, "tickets", DateTimeOffset.UtcNow.AddSeconds(-1), 1,
                ("ticket", 10));
            using var runner = new CrowdRunner(
                CrowdTestSupport.Settings(url, "tickets") with { Users = 30, Connections = 4 },
                CrowdTestSupport.Console(), TimeProvider.System);

            var result = await runner.RunAsync(CancellationToken.None);

            Assert.True(result.Verification.Passed, Describe(result));
            Assert.Equal(CheckStatus.Skipped, Check(result, CrowdVerifier.WinsExported).Status);
            Assert.Equal(CheckStatus.Passed, Check(result, CrowdVerifier.Winners).Status);
            Assert.Null(result.Server);
        }
        finally
        {
            await app.DisposeAsync();
            CrowdTestSupport.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Crowd_names_an_unknown_sale()
    {
        var (app, url, data) = await CrowdTestSupport.StartRealServerAsync();
        try
        {
            using var runner = new CrowdRunner(CrowdTestSupport.Settings(url, "nope"), CrowdTestSupport.Console(),
                TimeProvider.System);

            var problem = await Assert.ThrowsAsync<CrowdSetupException>(() => runner.RunAsync(CancellationToken.None));

            Assert.Contains("no sale 'nope'", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
            CrowdTestSupport.DeleteQuietly(data);
        }
    }

    internal static CheckResult Check(CrowdResult result, string name) =>
        result.Verification.Checks.Single(c => c.Name == name);

    internal static string Describe(CrowdResult result) =>
        string.Join(Environment.NewLine, result.Verification.Checks.Select(c => $"{c.Name}: {c.Status} {c.Detail}"))
        + Environment.NewLine + string.Join(", ", result.Outcomes.Select(o => $"{o.Key}={o.Value}"));
}
