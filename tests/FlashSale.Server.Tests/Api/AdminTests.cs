using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>
/// The operators' and main store's API: create, list, get with stats, close, export, confirm, cancel.
/// </summary>
public abstract class AdminTests(TestServer server)
{
    private readonly TestServer _server = server;

    [Fact]
    public async Task Create_answers_201_with_the_sale_and_a_second_create_of_the_id_answers_409()
    {
        var id = Ids.New("create");
        var startsAt = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var body = new
        {
            id,
            name = "Spring launch",
            startsAt,
            endsAt = startsAt.AddHours(1),
            perUserLimit = 2,
            holdSeconds = 600,
            items = new[] { new { id = "phone", name = "Phone X", price = 799.99m, stock = 100 },
                new { id = "case", name = "Case", price = 19.9m, stock = 0 } },
        };
        using var created = await _server.Admin.PostAsync("/admin/sales", Json(body));
        var sale = (await HttpAssert.Json(created, HttpStatusCode.Created)).AsObject();
        Assert.Equal(id, (string?)sale["id"]);
        Assert.Equal("Spring launch", (string?)sale["name"]);
        Assert.Equal(startsAt, Time(sale["startsAt"]));
        Assert.Equal(startsAt.AddHours(1), Time(sale["endsAt"]));
        Assert.Equal("scheduled", (string?)sale["state"]);
        Assert.Equal(2, (int)sale["perUserLimit"]!);
        var items = sale["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("phone", (string?)items[0]!["id"]);
        Assert.Equal("Phone X", (string?)items[0]!["name"]);
        Assert.Equal(799.99m, (decimal)items[0]!["price"]!);
        Assert.Equal(100, (int)items[0]!["stock"]!);
        Assert.Equal(100, (int)items[0]!["remaining"]!);
        Assert.Equal(0, (int)items[1]!["remaining"]!);

        using var again = await _server.Admin.PostAsync("/admin/sales", Json(body));
        await HttpAssert.Problem(again, 409);
        Assert.Equal(1, _server.Store.Sales.Count(s => s.Id == id));
    }

    [Fact]
    public async Task Create_without_an_id_makes_one_and_defaults_limit_and_hold()
    {
        using var created = await _server.Admin.PostAsync("/admin/sales", Json(new
        {
            name = "No id",
            startsAt = DateTimeOffset.UtcNow.AddDays(1),
            items = new[] { new { id = "a", name = "A", price = 1m, stock = 1 } },
        }));
        var sale = (await HttpAssert.Json(created, HttpStatusCode.Created)).AsObject();
        var id = (string)sale["id"]!;
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal(1, (int)sale["perUserLimit"]!);
        Assert.Null(sale["endsAt"]);
        Assert.Equal(id, (string?)(await _server.GetJsonAsync(_server.Admin, $"/admin/sales/{id}"))["id"]);
    }

    [Fact]
    public async Task List_shows_every_sale_including_long_ended_ones()
    {
        var old = Ids.New("list-old");
        var soon = Ids.New("list-soon");
        await _server.SeedSaleAsync(old, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-9));
        await _server.CreateSaleAsync(new
        {
            id = soon,
            name = "Soon",
            startsAt = DateTimeOffset.UtcNow.AddDays(1),
            items = new[] { new { id = "a", name = "A", price = 1m, stock = 1 } },
        });

        using var response = await _server.Admin.GetAsync("/admin/sales");
        var ids = (await HttpAssert.Json(response)).AsArray().Select(s => (string?)s!["id"]).ToList();
        Assert.Contains(old, ids);
        Assert.Contains(soon, ids);
    }

    [Fact]
    public async Task Get_shows_the_sale_with_its_stats()
    {
        var sale = Ids.New("stats");
        await _server.CreateOpenSaleAsync(sale, stock: 2);
        var before = await _server.GetJsonAsync(_server.Admin, $"/admin/sales/{sale}");
        Assert.Null(before["stats"]!["soldOutAt"]);
        Assert.Equal(0, (long)before["stats"]!["attempts"]!);

        foreach (var user in new[] { "s1", "s2", "s3" })
        {
            using var r = await _server.PurchaseAsync(sale, _server.TokenFor(user));
        }

        using (await _server.PurchaseAsync(sale, _server.TokenFor("s1")))
        {
        }

        var after = await _server.GetJsonAsync(_server.Admin, $"/admin/sales/{sale}");
        var stats = after["stats"]!.AsObject();
        Assert.Equal("sold_out", (string?)after["state"]);
        Assert.Equal(4, (long)stats["attempts"]!);
        Assert.Equal(2, (long)stats["won"]!);
        Assert.NotNull(stats["soldOutAt"]);
        var outcomes = stats["outcomes"]!.AsObject();
        Assert.Equal(2, (long)outcomes["won"]!);
        Assert.Equal(2, (long)outcomes["sold_out"]! + (long)outcomes["limit_reached"]!);
        Assert.Equal(0, (long)outcomes["not_started"]!);
    }

    [Fact]
    public async Task Close_answers_200_with_the_ended_sale_and_is_idempotent()
    {
        var sale = Ids.New("close");
        await _server.CreateOpenSaleAsync(sale, stock: 3);
        using var first = await _server.Admin.PostAsync($"/admin/sales/{sale}/close", null);
        Assert.Equal("ended", (string?)(await HttpAssert.Json(first))["state"]);
        using var second = await _server.Admin.PostAsync($"/admin/sales/{sale}/close", null);
        Assert.Equal("ended", (string?)(await HttpAssert.Json(second))["state"]);
        var admin = await _server.GetJsonAsync(_server.Admin, $"/admin/sales/{sale}");
        Assert.Equal("ended", (string?)admin["state"]);
        Assert.NotNull(admin["closedAt"]);
    }

    [Fact]
    public async Task Export_as_jsonl_and_csv_lists_every_reservation_with_RFC_4180_quoting()
    {
        var sale = Ids.New("export");
        await _server.CreateOpenSaleAsync(sale, stock: 10, perUserLimit: 2);
        string[] users =
        [
            "plain", "comma, inside", "quote \"inside\"", "line\nbreak", "crlf\r\nbreak", "Zoë-ünïcode", " spaced ",
        ];
        var won = new Dictionary<string, string>();
        foreach (var user in users)
        {
            using var response = await _server.PurchaseAsync(sale, _server.TokenFor(user));
            won[(string)(await HttpAssert.Won(response, sale, user))["id"]!] = user;
        }

        var jsonl = await _server.ExportAsync(sale);
        Assert.Equal(users.Length, jsonl.Count);
        foreach (var line in jsonl)
        {
            Assert.Equal(won[(string)line["id"]!], (string?)line["userId"]);
            Assert.Equal(sale, (string?)line["saleId"]);
            Assert.Equal("held", (string?)line["status"]);
        }

        using var csvResponse = await _server.Admin.GetAsync($"/admin/sales/{sale}/reservations?format=csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.StartsWith("id,saleId,itemId,userId,quantity,createdAt,holdUntil,status\r\n", csv,
            StringComparison.Ordinal);
        var rows = Rfc4180.Parse(csv);
        Assert.Equal(["id", "saleId", "itemId", "userId", "quantity", "createdAt", "holdUntil", "status"], rows[0]);
        Assert.Equal(users.Length, rows.Count - 1);
        for (var i = 1; i < rows.Count; i++)
        {
            var json = jsonl[i - 1];
            Assert.Equal((string?)json["id"], rows[i][0]);
            Assert.Equal(sale, rows[i][1]);
            Assert.Equal("phone", rows[i][2]);
            Assert.Equal((string?)json["userId"], rows[i][3]);
            Assert.Equal("1", rows[i][4]);
            Assert.Equal(Time(json["createdAt"]), DateTimeOffset.Parse(rows[i][5], CultureInfo.InvariantCulture));
            Assert.Equal(Time(json["holdUntil"]), DateTimeOffset.Parse(rows[i][6], CultureInfo.InvariantCulture));
            Assert.Equal("held", rows[i][7]);
        }
    }

    [Fact]
    public async Task Export_of_a_sale_without_reservations_is_empty_jsonl_or_a_csv_header()
    {
        var sale = Ids.New("export-empty");
        await _server.CreateOpenSaleAsync(sale, stock: 10);
        Assert.Empty(await _server.ExportAsync(sale));
        using var csv = await _server.Admin.GetAsync($"/admin/sales/{sale}/reservations?format=csv");
        Assert.Equal("id,saleId,itemId,userId,quantity,createdAt,holdUntil,status\r\n",
            await csv.Content.ReadAsStringAsync());
        using var byDefault = await _server.Admin.GetAsync($"/admin/sales/{sale}/reservations");
        Assert.Equal(HttpStatusCode.OK, byDefault.StatusCode);
        Assert.Equal("", await byDefault.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Confirm_is_idempotent_and_cancel_after_confirm_answers_409()
    {
        var sale = Ids.New("confirm");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        using var won = await _server.PurchaseAsync(sale, _server.TokenFor("buyer"));
        var id = (string)(await HttpAssert.Won(won, sale, "buyer"))["id"]!;

        for (var i = 0; i < 2; i++)
        {
            using var confirm = await _server.Admin.PostAsync($"/admin/reservations/{id}/confirm", null);
            var reservation = (await HttpAssert.Json(confirm)).AsObject();
            Assert.Equal("confirmed", (string?)reservation["status"]);
            Assert.Equal(id, (string?)reservation["id"]);
        }

        using var cancel = await _server.Admin.PostAsync($"/admin/reservations/{id}/cancel", null);
        var conflict = await HttpAssert.Problem(cancel, 409);
        Assert.Equal("confirmed", (string?)conflict["reservation"]!["status"]);
        Assert.Equal(id, (string?)conflict["reservation"]!["id"]);
        Assert.Equal("confirmed", (string?)(await _server.ExportAsync(sale))[0]["status"]);
        Assert.Equal("sold_out", (string?)(await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}"))["state"]);
    }

    [Fact]
    public async Task Cancel_frees_the_unit_for_others_is_idempotent_and_confirm_after_cancel_answers_409()
    {
        var sale = Ids.New("cancel");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        using var won = await _server.PurchaseAsync(sale, _server.TokenFor("first"));
        var id = (string)(await HttpAssert.Won(won, sale, "first"))["id"]!;
        using (var soldOut = await _server.PurchaseAsync(sale, _server.TokenFor("second")))
            await HttpAssert.Problem(soldOut, 409, "sold_out");

        for (var i = 0; i < 2; i++)
        {
            using var cancel = await _server.Admin.PostAsync($"/admin/reservations/{id}/cancel", null);
            Assert.Equal("cancelled", (string?)(await HttpAssert.Json(cancel))["status"]);
        }

        using var confirm = await _server.Admin.PostAsync($"/admin/reservations/{id}/confirm", null);
        Assert.Equal("cancelled", (string?)(await HttpAssert.Problem(confirm, 409))["reservation"]!["status"]);

        // The unit is back on sale; the sold-out flag is lifted.
        var reopened = await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}");
        Assert.Equal("open", (string?)reopened["state"]);
        Assert.Equal(1, (int)reopened["items"]![0]!["remaining"]!);
        using var second = await _server.PurchaseAsync(sale, _server.TokenFor("second"));
        await HttpAssert.Won(second, sale, "second");
        var statuses = (await _server.ExportAsync(sale)).Select(
            r => ((string?)r["userId"], (string?)r["status"])).ToList();
        Assert.Equal([("first", "cancelled"), ("second", "held")], statuses);
    }

    [Fact]
    public async Task A_cancelled_reservation_no_longer_counts_against_the_buyers_limit()
    {
        var sale = Ids.New("cancel-limit");
        await _server.CreateOpenSaleAsync(sale, stock: 5);
        var token = _server.TokenFor("again");
        using var won = await _server.PurchaseAsync(sale, token);
        var id = (string)(await HttpAssert.Won(won, sale, "again"))["id"]!;
        using (var limit = await _server.PurchaseAsync(sale, token))
            await HttpAssert.Problem(limit, 409, "limit_reached");
        using (await _server.Admin.PostAsync($"/admin/reservations/{id}/cancel", null))
        {
        }

        using var again = await _server.PurchaseAsync(sale, token);
        await HttpAssert.Won(again, sale, "again");
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static DateTimeOffset Time(JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}
