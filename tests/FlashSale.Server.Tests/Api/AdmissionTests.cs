using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FlashSale.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Server.Tests.Api;

/// <summary>
/// What is refused before any decision: 429 rate_limited and 503 busy, both with Retry-After, neither remembered.
/// </summary>
public sealed class AdmissionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_buyer_over_the_rate_limit_gets_429_with_Retry_After_and_a_retried_requestId_is_decided_afresh()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:RateLimit:PermitsPerSecond=1",
            "--FlashSale:RateLimit:Burst=2");
        await server.CreateOpenSaleAsync("rl", stock: 100, perUserLimit: 100);
        var token = server.TokenFor("hasty");

        var answers = new List<(string RequestId, HttpStatusCode Status)>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await server.PurchaseAsync("rl", token, requestId: $"r{i}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await HttpAssert.Problem(response, 429, "rate_limited");
                var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
                Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, 60);
            }
            else
            {
                await HttpAssert.Won(response, "rl", "hasty");
            }

            answers.Add(($"r{i}", response.StatusCode));
        }

        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        var wins = answers.Count(a => a.Status == HttpStatusCode.Created);
        Assert.InRange(wins, 2, 8);
        Assert.Equal(wins, (await server.ExportAsync("rl")).Count);

        // Another buyer has a bucket of their own.
        using (var other = await server.PurchaseAsync("rl", server.TokenFor("patient")))
            await HttpAssert.Won(other, "rl", "patient");

        // rate_limited decided nothing, so the same requestId is decided once the bucket refills.
        var retried = limited[0].RequestId;
        await Eventually.True("the rate-limited requestId is decided on retry", async () =>
        {
            using var again = await server.PurchaseAsync("rl", token, requestId: retried);
            if (again.StatusCode == HttpStatusCode.TooManyRequests) return false;
            await HttpAssert.Won(again, "rl", "hasty");
            return true;
        });
        Assert.Equal(wins + 2, (await server.ExportAsync("rl")).Count);
        var stats = await server.GetJsonAsync(server.Admin, "/admin/sales/rl");
        Assert.True((long)stats["stats"]!["outcomes"]!["rate_limited"]! >= limited.Count);
    }

    [Fact]
    public async Task A_full_queue_answers_503_busy_with_Retry_After_and_decides_nothing()
    {
        await using var server = await TestServer.StartAsync(
            "--FlashSale:RateLimit:Enabled=false", "--FlashSale:Engine:ShardCount=1",
                "--FlashSale:Engine:QueueCapacity=1", "--FlashSale:Engine:MaxBatchSize=1");
        await server.CreateOpenSaleAsync("busy", stock: 100_000);
        using var client = server.NewClient(maxConnections: 64);

        var answers = new ConcurrentBag<(string User, HttpStatusCode Status, string? ReservationId)>();
        var busy = 0;
        for (var round = 0; round < 5 && busy == 0; round++)
        {
            var r = round;
            await Parallel.ForEachAsync(Enumerable.Range(0, 256), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (i, _) =>
            {
                var user = $"buyer-{r}-{i}";
                using var response = await server.PurchaseAsync("busy", server.TokenFor(user), requestId: "only",
                    client: client);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await HttpAssert.Problem(response, 503, "busy");
                    Assert.InRange(int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")),
                        CultureInfo.InvariantCulture), 1, 60);
                    answers.Add((user, response.StatusCode, null));
                }
                else
                {
                    answers.Add((user, response.StatusCode,
                        (string?)(await HttpAssert.Won(response, "busy", user))["id"]));
                }
            });
            busy = answers.Count(a => a.Status == HttpStatusCode.ServiceUnavailable);
        }

        output.WriteLine($"{answers.Count} attempts, {busy} answered busy");

        // Whether the queue overflows depends on the machine; whatever was answered busy must have decided nothing.
        var export = await server.ExportAsync("busy");
        var wonIds = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.ReservationId).ToHashSet();
        Assert.Equal(wonIds, export.Select(r => (string?)r["id"]).ToHashSet());
        var busyUsers = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).Select(
            a => a.User).ToHashSet();
        Assert.DoesNotContain(export, r => busyUsers.Contains((string)r["userId"]!));

        // Busy is not remembered: the same requestId is decided afresh.
        foreach (var user in busyUsers.Take(3))
        {
            await Eventually.True($"{user} is decided on retry", async () =>
            {
                using var again = await server.PurchaseAsync("busy", server.TokenFor(user), requestId: "only");
                if (again.StatusCode == HttpStatusCode.ServiceUnavailable) return false;
                await HttpAssert.Won(again, "busy", user);
                return true;
            });
        }
    }
}
