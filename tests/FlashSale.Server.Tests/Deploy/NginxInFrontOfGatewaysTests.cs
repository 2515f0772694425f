using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashSale.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>
/// <c>deploy/</c> for real: Redis Cluster nodes started with <c>deploy/redis/node.conf</c>, two gateway processes
/// (<c>flashsale serve --redis</c>), and nginx running the rendered <c>deploy/nginx/flashsale.conf.in</c> in front;
/// buyers buy through nginx only.
/// </summary>
public sealed partial class NginxInFrontOfGatewaysTests(ITestOutputHelper output) : IDisposable
{
    private const int Stock = 60;
    private const int Buyers = 240;
    private readonly string _work = TempDirectory.Create("fs-deploy");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task Buyers_through_the_deploy_nginx_win_exactly_the_stock_over_both_gateways_of_a_Redis_Cluster()
    {
        using var redis = await DeployRedis.ClusterAsync(_work, primaries: 3);
        await using var first = Gateway(redis.Configuration);
        await using var second = Gateway(redis.Configuration);
        var gateways = new[] { await first.WaitReadyAsync(), await second.WaitReadyAsync() };
        using var nginx = await NginxProcess.StartAsync(_work, gateways);
        using var http = new HttpClient { BaseAddress = nginx.Url, Timeout = TimeSpan.FromSeconds(30) };

        // The sale is created through nginx (on whichever gateway it picks) and is then seen by both gateways.
        using (var create = Admin(HttpMethod.Post, "/admin/sales"))
        {
            create.Content = new StringContent(
                $$"""{"id":"deploy","name":"Deploy","startsAt":"now","perUserLimit":1,""" +
                $$"""  "items":[{"id":"phone","name":"Phone","price":699,"stock":{{Stock}}}]}""",
                Encoding.UTF8, "application/json");
            using var created = await http.SendAsync(create);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        foreach (var gateway in gateways)
        {
            using var direct = new HttpClient { BaseAddress = gateway };
            await Eventually.True($"{gateway} knows the sale", async () =>
            {
                using var response = await direct.GetAsync("/api/sales/deploy");
                return response.IsSuccessStatusCode;
            });
        }

        // Buyers, 24 at a time, each with one requestId; a 503 busy is retried with the same requestId.
        var won = new System.Collections.Concurrent.ConcurrentBag<(string User, string Reservation)>();
        var soldOut = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Buyers), new ParallelOptions { MaxDegreeOfParallelism = 24 },
            async (i, cancel) =>
            {
                var user = $"deploy-buyer-{i:D4}";
                for (var attempt = 0; ; attempt++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sales/deploy/purchase")
                    {
                        Content = new StringContent($$"""{"itemId":"phone","requestId":"{{user}}-1"}""",
                            Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                        Jws.Hs256($$"""{"sub":"{{user}}","exp":{{Jws.Exp(TimeSpan.FromHours(1))}}}"""));
                    using var response = await http.SendAsync(request, cancel);
                    var body = await response.Content.ReadAsStringAsync(cancel);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 20) continue;
                    using var json = JsonDocument.Parse(body);
                    var outcome = json.RootElement.GetProperty("outcome").GetString();
                    if (outcome == "won")
                    {
                        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                        won.Add((user, json.RootElement.GetProperty("reservation").GetProperty("id").GetString()!));
                    }
                    else
                    {
                        Assert.True(outcome == "sold_out", $"{user}: {(int)response.StatusCode} {body}");
                        Interlocked.Increment(ref soldOut);
                    }

                    return;
                }
            });

        // Exactly the stock won, each by a different buyer, and the export (through nginx) is exactly those wins.
        Assert.Equal(Stock, won.Count);
        Assert.Equal(Buyers - Stock, soldOut);
        Assert.Equal(Stock, won.Select(w => w.User).Distinct().Count());
        using var export = Admin(HttpMethod.Get, "/admin/sales/deploy/reservations?format=jsonl");
        using var exported = await http.SendAsync(export);
        var lines = (await exported.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var exportedIds = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).Order();
        Assert.Equal(won.Select(w => w.Reservation).Order(), exportedIds);

        // Both gateways took purchases: each one's own metrics, read directly (nginx refuses /metrics) ...
        var attempts = new List<long>();
        foreach (var gateway in gateways)
        {
            using var direct = new HttpClient { BaseAddress = gateway };
            var metrics = await direct.GetStringAsync("/metrics");
            attempts.Add(AttemptsLine().Matches(metrics).Sum(m => long.Parse(m.Groups[1].Value,
                CultureInfo.InvariantCulture)));
        }

        output.WriteLine($"purchases answered by each gateway: {string.Join(", ", attempts)}");
        Assert.All(attempts, a => Assert.True(a > 0, $"a gateway took no purchase: {string.Join(", ", attempts)}"));
        Assert.True(attempts.Sum() >= Buyers, $"{attempts.Sum()} purchases counted, {Buyers} buyers");
        using (var metricsThroughNginx = await http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.NotFound, metricsThroughNginx.StatusCode);
        }

        // ... and nginx's access log names both as the upstream of purchases (its buffer is flushed every second).
        await Eventually.True("the access log names both gateways as upstreams of purchases", () =>
            Task.FromResult(gateways.All(g => nginx.AccessLog.Split('\n').Any(line =>
                line.Contains("/purchase", StringComparison.Ordinal)
                && line.Contains($"upstream={g.Authority}", StringComparison.Ordinal)))));

        // The console's live feed (Server-Sent Events) passes through unbuffered.
        using var live = Admin(HttpMethod.Get, "/admin/live");
        using var stream = await http.SendAsync(live, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var firstLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("event: snapshot", firstLine);
    }

    private ServerProcess Gateway(string redis) => ServerProcess.Start(_work,
        "serve", "--redis", redis, "--urls", "http://127.0.0.1:0",
        $"--FlashSale:AdminKey={TestServer.AdminKeyValue}", $"--FlashSale:TokenSecret={TestServer.TokenSecret}",
        "--FlashSale:RateLimit:Enabled=false",
        // The shared test machine can be slow enough for the 2 s default to fail a connection at start.
        "--FlashSale:Redis:CommandTimeoutMs=10000");

    private static HttpRequestMessage Admin(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminKeyValue);
        return request;
    }

    [GeneratedRegex(@"^flashsale_purchase_attempts_total\{[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex AttemptsLine();
}
