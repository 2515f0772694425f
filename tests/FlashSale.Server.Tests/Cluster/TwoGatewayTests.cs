using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using FlashSale.Redis.Tests.Support;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Cluster;

/// <summary>
/// Two gateways (two servers in cluster mode, in this process) on one real Redis: a crowd spread over both wins
/// exactly the stock, and what an operator does on one is what the other answers.
/// </summary>
public sealed class TwoGatewayTests : IAsyncLifetime
{
    private RedisProcess _redis = null!;
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _redis = RedisProcess.Start();
        _a = await TestServer.StartGatewayAsync(_redis.EndPoint, "--FlashSale:RateLimit:Enabled=false");
        _b = await TestServer.StartGatewayAsync(_redis.EndPoint, "--FlashSale:RateLimit:Enabled=false");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task Buyers_over_two_gateways_win_exactly_the_stock_nobody_over_the_limit_export_equal_to_the_wins()
    {
        const int Stock = 60, Buyers = 240, Limit = 2, Tries = 3;
        var sale = Ids.New("crowd");
        await _a.CreateOpenSaleAsync(sale, stock: Stock, perUserLimit: Limit);
        using var clientA = _a.NewClient(64);
        using var clientB = _b.NewClient(64);
        var wins = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new ConcurrentQueue<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Buyers), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (buyer, _) =>
            {
                var user = $"buyer-{buyer}";
                var token = _a.TokenFor(user);
                for (var attempt = 0; attempt < Tries; attempt++)
                {
                    // Each try goes to one gateway, and its repeat (same requestId) to the other: one decision.
                    var requestId = $"{user}-{attempt}";
                    var first = (buyer + attempt) % 2 == 0 ? clientA : clientB;
                    var second = first == clientA ? clientB : clientA;
                    var answer = await Answer(first, sale, token, requestId, wins, user);
                    var repeat = await Answer(second, sale, token, requestId, wins, user);
                    if (answer != repeat) unexpected.Enqueue($"{requestId}: {answer} then {repeat}");
                }
            });

        Assert.Empty(unexpected);
        Assert.Equal(Stock, wins.Count);
        Assert.All(wins.Values.GroupBy(user => user), group => Assert.InRange(group.Count(), 1, Limit));
        var exportA = await _a.ExportAsync(sale);
        var exportB = await _b.ExportAsync(sale);
        Assert.Equal(wins.Keys.Order(StringComparer.Ordinal),
            exportA.Select(r => (string)r["id"]!).Order(StringComparer.Ordinal));
        Assert.All(exportA, r => Assert.Equal(wins[(string)r["id"]!], (string?)r["userId"]));
        Assert.Equal(exportA.Select(r => r.ToJsonString()), exportB.Select(r => r.ToJsonString()));
        foreach (var gateway in (TestServer[])[_a, _b])
        {
            await Eventually.True("every gateway sees the sale sold out", async () =>
                (string?)(await gateway.GetJsonAsync(gateway.Client, $"/api/sales/{sale}"))["state"] == "sold_out");
        }
    }

    [Fact]
    public async Task What_an_operator_does_on_one_gateway_the_other_answers_at_once()
    {
        var sale = Ids.New("admin");
        await _a.CreateOpenSaleAsync(sale, stock: 3);

        // Created on A: B knows it at once (it reads the sale from Redis when it meets an id it does not know).
        Assert.Equal(sale, (string?)(await _b.GetJsonAsync(_b.Client, $"/api/sales/{sale}"))["id"]);
        Assert.Equal(sale, (string?)(await _b.GetJsonAsync(_b.Admin, $"/admin/sales/{sale}"))["id"]);

        // Won on B, confirmed on A: B shows it confirmed.
        var token = _b.TokenFor("carol");
        string reservationId;
        using (var won = await _b.PurchaseAsync(sale, token))
        {
            reservationId = (string)(await HttpAssert.Won(won, sale, "carol"))["id"]!;
        }

        using (var confirm = await _a.Admin.PostAsync($"/admin/reservations/{reservationId}/confirm", null))
        {
            Assert.Equal("confirmed", (string?)(await HttpAssert.Json(confirm))["status"]);
        }

        using (var mine = await Get(_b, $"/api/sales/{sale}/reservation", token))
        {
            Assert.Equal("confirmed", (string?)Assert.Single((await HttpAssert.Json(mine)).AsArray())!["status"]);
        }

        // Closed on A: a purchase on B answers ended at once, and the shared stats count it.
        using (var close = await _a.Admin.PostAsync($"/admin/sales/{sale}/close", null))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        using (var late = await _b.PurchaseAsync(sale, _b.TokenFor("dave")))
        {
            await HttpAssert.Problem(late, 410, "ended");
        }

        await Eventually.True("B shows the sale ended", async () =>
            (string?)(await _b.GetJsonAsync(_b.Client, $"/api/sales/{sale}"))["state"] == "ended");

        // Answers a gateway gives alone reach the shared counters within a refresh.
        await Eventually.True("A's stats count what B answered", async () =>
        {
            var stats = (await _a.GetJsonAsync(_a.Admin, $"/admin/sales/{sale}"))["stats"]!;
            return (long)stats["won"]! == 1 && (long)stats["outcomes"]!["ended"]! == 1;
        });
    }

    private static async Task<string> Answer(HttpClient client, string sale, string token, string requestId,
        ConcurrentDictionary<string, string> wins, string user)
    {
        using var response = await TestServer.Purchase(client, sale, token, requestId: requestId);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (response.StatusCode != HttpStatusCode.Created) return $"{(int)response.StatusCode} {body["outcome"]}";
        var id = (string)body["reservation"]!["id"]!;
        wins[id] = user;
        return "201 " + id;
    }

    private static Task<HttpResponseMessage> Get(TestServer server, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return server.Client.SendAsync(request);
    }
}
