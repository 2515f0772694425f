using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>Every purchase outcome of API.md: its status code, its problem+json or JSON body, its precedence.</summary>
public abstract class PurchaseOutcomeTests(TestServer server)
{
    private readonly TestServer _server = server;
    private static readonly string[] OnlyMember = ["member"];

    [Fact]
    public async Task Purchase_in_an_open_sale_answers_201_won_with_a_durable_reservation()
    {
        var sale = Ids.New("won");
        await _server.CreateOpenSaleAsync(sale, stock: 5);
        var token = _server.TokenFor("alice");

        using var response = await _server.PurchaseAsync(sale, token);
        var reservation = await HttpAssert.Won(response, sale, "alice");

        using var mine = await _server.Client.SendAsync(Get($"/api/sales/{sale}/reservation", token));
        var list = (await HttpAssert.Json(mine)).AsArray();
        Assert.Equal((string?)reservation["id"], (string?)Assert.Single(list)!["id"]);
        Assert.Single(await _server.ExportAsync(sale));
    }

    [Fact]
    public async Task Purchase_after_sell_out_answers_409_sold_out()
    {
        var sale = Ids.New("soldout");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        using (var first = await _server.PurchaseAsync(sale, _server.TokenFor("a")))
            await HttpAssert.Won(first, sale, "a");

        using var withoutRequestId = await _server.PurchaseAsync(sale, _server.TokenFor("b"));
        await HttpAssert.Problem(withoutRequestId, 409, "sold_out");
        using var withRequestId = await _server.PurchaseAsync(sale, _server.TokenFor("c"), requestId: "c-1");
        await HttpAssert.Problem(withRequestId, 409, "sold_out");

        var state = await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}");
        Assert.Equal("sold_out", (string?)state["state"]);
        Assert.Equal(0, (int)state["items"]![0]!["remaining"]!);
    }

    [Fact]
    public async Task Purchase_over_the_per_user_limit_answers_409_limit_reached_across_items()
    {
        var sale = Ids.New("limit");
        await _server.CreateSaleAsync(new
        {
            id = sale,
            name = "Two items",
            startsAt = "now",
            perUserLimit = 2,
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 10 },
                new { id = "case", name = "Case", price = 1m, stock = 10 } },
        });
        var token = _server.TokenFor("greedy");
        using (var first = await _server.PurchaseAsync(sale, token)) await HttpAssert.Won(first, sale, "greedy");
        using (var second = await _server.PurchaseAsync(sale, token, "case"))
            await HttpAssert.Won(second, sale, "greedy", "case");

        using var third = await _server.PurchaseAsync(sale, token, "case", requestId: "third");
        await HttpAssert.Problem(third, 409, "limit_reached");
        using var fourth = await _server.PurchaseAsync(sale, token);
        await HttpAssert.Problem(fourth, 409, "limit_reached");
        Assert.Equal(2, (await _server.ExportAsync(sale)).Count);
    }

    [Fact]
    public async Task Purchase_by_a_buyer_off_the_eligibility_list_answers_403_not_eligible()
    {
        var sale = Ids.New("eligible");
        await _server.CreateSaleAsync(new
        {
            id = sale,
            name = "Members only",
            startsAt = "now",
            eligibleUsers = OnlyMember,
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 10 } },
        });

        using var outsider = await _server.PurchaseAsync(sale, _server.TokenFor("outsider"));
        await HttpAssert.Problem(outsider, 403, "not_eligible");
        using var outsiderWithRequestId = await _server.PurchaseAsync(sale, _server.TokenFor("outsider"),
            requestId: "r1");
        await HttpAssert.Problem(outsiderWithRequestId, 403, "not_eligible");
        using var member = await _server.PurchaseAsync(sale, _server.TokenFor("member"));
        await HttpAssert.Won(member, sale, "member");
    }

    [Fact]
    public async Task Purchase_before_the_start_answers_425_not_started_with_startsAt()
    {
        var sale = Ids.New("early");
        var startsAt = new DateTimeOffset(2099, 1, 2, 10, 0, 0, TimeSpan.Zero);
        await _server.CreateSaleAsync(new
        {
            id = sale,
            name = "Later",
            startsAt,
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 10 } },
        });

        foreach (var requestId in new[] { null, "early-1" })
        {
            using var response = await _server.PurchaseAsync(sale, _server.TokenFor("eager"), requestId: requestId);
            var body = await HttpAssert.Problem(response, 425, "not_started");
            Assert.Equal(startsAt, DateTimeOffset.Parse((string)body["startsAt"]!, CultureInfo.InvariantCulture));
        }

        Assert.Equal("scheduled", (string?)(await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}"))["state"]);
    }

    [Fact]
    public async Task Purchase_after_endsAt_answers_410_ended()
    {
        var sale = Ids.New("past");
        var now = DateTimeOffset.UtcNow;
        await _server.SeedSaleAsync(sale, now.AddHours(-2), now.AddHours(-1), stock: 10);

        using var response = await _server.PurchaseAsync(sale, _server.TokenFor("late"));
        await HttpAssert.Problem(response, 410, "ended");
        using var withRequestId = await _server.PurchaseAsync(sale, _server.TokenFor("late"), requestId: "late-1");
        await HttpAssert.Problem(withRequestId, 410, "ended");
        Assert.Equal("ended", (string?)(await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}"))["state"]);
    }

    [Fact]
    public async Task Purchase_after_an_operator_closed_the_sale_answers_410_ended()
    {
        var sale = Ids.New("closed");
        await _server.CreateOpenSaleAsync(sale, stock: 10);
        using (var close = await _server.Admin.PostAsync($"/admin/sales/{sale}/close", null))
        {
            Assert.Equal("ended", (string?)(await HttpAssert.Json(close))["state"]);
        }

        using var response = await _server.PurchaseAsync(sale, _server.TokenFor("after-close"));
        await HttpAssert.Problem(response, 410, "ended");
        using var withRequestId = await _server.PurchaseAsync(sale, _server.TokenFor("after-close"), requestId: "x");
        await HttpAssert.Problem(withRequestId, 410, "ended");
        Assert.Empty(await _server.ExportAsync(sale));
    }

    [Fact]
    public async Task The_sale_state_comes_before_eligibility_which_comes_before_stock()
    {
        var future = Ids.New("prec-future");
        var past = Ids.New("prec-past");
        var empty = Ids.New("prec-empty");
        object Sale(string id, object startsAt, DateTimeOffset? endsAt, int stock) => new
        {
            id,
            name = "Precedence",
            startsAt,
            endsAt,
            eligibleUsers = new[] { "insider" },
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock } },
        };
        await _server.CreateSaleAsync(Sale(future, DateTimeOffset.UtcNow.AddHours(1), null, 0));
        var now = DateTimeOffset.UtcNow;
        await _server.SeedSaleAsync(past, now.AddHours(-2), now.AddHours(-1), stock: 0, eligibleUsers: ["insider"]);
        await _server.CreateSaleAsync(Sale(empty, "now", null, 0));
        var outsider = _server.TokenFor("outsider");

        using (var r = await _server.PurchaseAsync(future, outsider)) await HttpAssert.Problem(r, 425, "not_started");
        using (var r = await _server.PurchaseAsync(past, outsider)) await HttpAssert.Problem(r, 410, "ended");
        using (var r = await _server.PurchaseAsync(empty, outsider)) await HttpAssert.Problem(r, 403, "not_eligible");
        using (var r = await _server.PurchaseAsync(empty, _server.TokenFor("insider")))
            await HttpAssert.Problem(r, 409, "sold_out");
    }

    [Fact]
    public async Task Purchase_in_an_unknown_sale_or_of_an_unknown_item_answers_404()
    {
        var sale = Ids.New("known");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        var token = _server.TokenFor("lost");

        using (var r = await _server.PurchaseAsync("no-such-sale", token)) await HttpAssert.Problem(r, 404);
        using (var r = await _server.PurchaseAsync(sale, token, "no-such-item")) await HttpAssert.Problem(r, 404);
        using (var r = await _server.PurchaseAsync(sale, token, "no-such-item", requestId: "r"))
            await HttpAssert.Problem(r, 404);
        Assert.Empty(await _server.ExportAsync(sale));
    }

    [Fact]
    public async Task A_repeated_requestId_gets_the_first_answer_again_and_is_decided_once()
    {
        var sale = Ids.New("idem");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        var token = _server.TokenFor("repeat");

        var (status, body) = await Send(sale, token, "same");
        Assert.Equal(HttpStatusCode.Created, status);
        for (var i = 0; i < 3; i++)
        {
            var again = await Send(sale, token, "same");
            Assert.Equal(status, again.Status);
            Assert.Equal(body, again.Body);
        }

        // A different requestId is a new attempt, refused by the limit; and the first answer outlives the sale.
        Assert.Equal(HttpStatusCode.Conflict, (await Send(sale, token, "other")).Status);
        using (await _server.Admin.PostAsync($"/admin/sales/{sale}/close", null))
        {
        }

        var afterClose = await Send(sale, token, "same");
        Assert.Equal(status, afterClose.Status);
        Assert.Equal(body, afterClose.Body);
        Assert.Single(await _server.ExportAsync(sale));
    }

    [Fact]
    public async Task A_repeated_requestId_after_sold_out_or_limit_gets_the_same_refusal()
    {
        var sale = Ids.New("idem-refusal");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        var winner = _server.TokenFor("w");
        var loser = _server.TokenFor("l");
        Assert.Equal(HttpStatusCode.Created, (await Send(sale, winner, "w-1")).Status);

        var soldOut = await Send(sale, loser, "l-1");
        var limit = await Send(sale, winner, "w-2");
        Assert.Equal(HttpStatusCode.Conflict, soldOut.Status);
        Assert.Equal(HttpStatusCode.Conflict, limit.Status);
        Assert.Equal(soldOut, await Send(sale, loser, "l-1"));
        Assert.Equal(limit, await Send(sale, winner, "w-2"));
        Assert.Contains("sold_out", soldOut.Body, StringComparison.Ordinal);
        Assert.Contains("limit_reached", limit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requestId_reused_for_another_item_answers_422_request_id_reused_and_decides_nothing()
    {
        var sale = Ids.New("reused");
        var other = Ids.New("reused-other");
        object Sale(string id) => new
        {
            id,
            name = "Two items",
            startsAt = "now",
            perUserLimit = 2,
            items = new[]
            {
                new { id = "phone", name = "Phone", price = 1m, stock = 5 },
                new { id = "case", name = "Case", price = 1m, stock = 5 },
            },
        };
        await _server.CreateSaleAsync(Sale(sale));
        await _server.CreateSaleAsync(Sale(other));
        var token = _server.TokenFor("reuser");
        using (var first = await _server.PurchaseAsync(sale, token, "phone", requestId: "r1"))
        {
            await HttpAssert.Won(first, sale, "reuser");
        }


        using (var reused = await _server.PurchaseAsync(sale, token, "case", requestId: "r1"))
        {
            var problem = await HttpAssert.Problem(reused, 422, "request_id_reused");
            var detail = (string?)problem["detail"];
            Assert.Contains("requestId was already used for another item", detail, StringComparison.Ordinal);
        }

        // The first item still gets its first answer; another sale is another request.
        using (var again = await _server.PurchaseAsync(sale, token, "phone", requestId: "r1"))
        {
            await HttpAssert.Won(again, sale, "reuser");
        }

        using (var elsewhere = await _server.PurchaseAsync(other, token, "case", requestId: "r1"))
        {
            await HttpAssert.Won(elsewhere, other, "reuser", "case");
        }

        var export = await _server.ExportAsync(sale);
        Assert.Equal("phone", (string?)Assert.Single(export)["itemId"]);
        var state = await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}");
        Assert.Equal(5, (int)state["items"]![1]!["remaining"]!);
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(string sale, string token, string requestId)
    {
        using var response = await _server.PurchaseAsync(sale, token, requestId: requestId);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    internal static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
