using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using FlashSale.Redis.Tests.Support;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Cluster;

/// <summary>
/// A gateway whose Redis dies mid-run (a real redis-server killed) answers busy, never won, fails its health probe,
/// and recovers by itself once Redis is back on the same address and data.
/// </summary>
public sealed class RedisDownTests
{
    [Fact]
    public async Task With_Redis_down_purchases_answer_503_busy_healthz_fails_and_the_gateway_recovers_when_it_is_back()
    {
        using var redis = RedisProcess.Start("--appendonly", "yes", "--appendfsync", "always");
        await using var gateway = await TestServer.StartGatewayAsync(redis.EndPoint,
            "--FlashSale:RateLimit:Enabled=false");
        var sale = Ids.New("down");
        await gateway.CreateOpenSaleAsync(sale, stock: 5);
        var before = gateway.TokenFor("before");
        using (var won = await gateway.PurchaseAsync(sale, before)) await HttpAssert.Won(won, sale, "before");

        redis.Kill();
        await Eventually.True("/healthz fails",
            async () => await HealthAsync(gateway) == HttpStatusCode.ServiceUnavailable);
        using (var busy = await gateway.PurchaseAsync(sale, gateway.TokenFor("during"), requestId: "during-1"))
        {
            await HttpAssert.Problem(busy, 503, "busy");
            Assert.NotNull(busy.Headers.RetryAfter);
        }

        // A read that has to ask Redis answers the same way.
        using (var mine = await Get(gateway, $"/api/sales/{sale}/reservation", before))
        {
            await HttpAssert.Problem(mine, 503, "busy");
            Assert.NotNull(mine.Headers.RetryAfter);
        }

        using var back = StartAgain(redis);
        try
        {
            await Eventually.True("/healthz recovers", async () => await HealthAsync(gateway) == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60));
            await Eventually.True("a purchase wins again", async () =>
            {
                using var response = await gateway.PurchaseAsync(sale, gateway.TokenFor("after"), requestId: "after-1");
                return response.StatusCode == HttpStatusCode.Created;
            }, TimeSpan.FromSeconds(30));

            var buyers = (await gateway.ExportAsync(sale)).Select(r => (string?)r["userId"]).ToList();
            Assert.Equal(["before", "after"], buyers);
        }
        finally
        {
            back.Kill();
            await back.WaitForExitAsync();
        }
    }

    private static async Task<HttpStatusCode> HealthAsync(TestServer gateway)
    {
        using var response = await gateway.Client.GetAsync("/healthz");
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> Get(TestServer server, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return server.Client.SendAsync(request);
    }

    /// <summary>A new redis-server on the killed one's port and directory (so its append-only file).</summary>
    private static Process StartAgain(RedisProcess killed)
    {
        var start = new ProcessStartInfo(Tools.Find("redis-server"))
        {
            WorkingDirectory = killed.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--port", killed.Port.ToString(CultureInfo.InvariantCulture), "--bind",
            "127.0.0.1", "--dir", killed.Directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
            "--daemonize", "no", "--protected-mode", "no", "--logfile", Path.Combine(killed.Directory, "redis.log")])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start again");
    }
}
