using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FlashSale.Server.Api;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>Bad input gets a 4xx problem+json with a clear message, and changes nothing.</summary>
public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;
    private static readonly int[] TooLargeOrBadRequest = [400, 413];

    public static TheoryData<string, string, string> BadPurchaseBodies() => new()
    {
        { "truncated JSON", """{"itemId":"phone" """, nameof(Rejection.MalformedJson) },
        { "not JSON", "itemId=phone", nameof(Rejection.MalformedJson) },
        { "empty body", "", nameof(Rejection.BodyMissing) },
        { "a JSON array", """["phone"]""", nameof(Rejection.BodyNotAnObject) },
        { "a JSON string", "\"phone\"", nameof(Rejection.BodyNotAnObject) },
        { "null", "null", nameof(Rejection.BodyNotAnObject) },
        { "two objects", """{"itemId":"phone"}{"itemId":"phone"}""", nameof(Rejection.BodyNotOneObject) },
        { "trailing garbage", """{"itemId":"phone"} x""", nameof(Rejection.BodyNotOneObject) },
        { "itemId missing", """{"requestId":"r1"}""", nameof(Rejection.ItemIdMissing) },
        { "itemId empty", """{"itemId":""}""", nameof(Rejection.ItemIdMissing) },
        { "itemId a number", """{"itemId":7}""", nameof(Rejection.ItemIdNotAString) },
        { "itemId null", """{"itemId":null}""", nameof(Rejection.ItemIdNotAString) },
        { "itemId an object", """{"itemId":{"id":"phone"}}""", nameof(Rejection.ItemIdNotAString) },
        { "itemId an array", """{"itemId":["phone"]}""", nameof(Rejection.ItemIdNotAString) },
        { "itemId over the id limit", $$"""{"itemId":"{{new string('p', EdgeLimits.MaxIdLength + 1)}}"}""",
            nameof(Rejection.ItemIdTooLong) },
        { "requestId a number", """{"itemId":"phone","requestId":1}""", nameof(Rejection.RequestIdNotAString) },
        { "requestId a bool", """{"itemId":"phone","requestId":true}""", nameof(Rejection.RequestIdNotAString) },
        { "requestId empty", """{"itemId":"phone","requestId":""}""", nameof(Rejection.RequestIdLength) },
        { "requestId over its limit",
            $$"""{"itemId":"phone","requestId":"{{new string('r', EdgeLimits.MaxRequestIdLength + 1)}}"}""",
            nameof(Rejection.RequestIdLength) },
        { "lone surrogate in itemId", """{"itemId":"\ud800"}""", nameof(Rejection.MalformedJson) },
        { "deeply nested", """{"x":""" + new string('[', 100) + new string(']', 100) + ""","itemId":"phone"}""",
            nameof(Rejection.MalformedJson) },
    };

    [Theory]
    [MemberData(nameof(BadPurchaseBodies))]
    public async Task A_malformed_purchase_body_answers_400_problem_saying_why_and_decides_nothing(string why,
        string body, string reason)
    {
        var sale = Ids.New("bad-body");
        await _server.CreateOpenSaleAsync(sale, stock: 5);
        using var response = await Send(sale, body, "application/json");
        var problem = await HttpAssert.Problem(response, 400);
        Assert.True(Rejections.Describe(Enum.Parse<Rejection>(reason)).Detail == (string?)problem["detail"],
            $"{why}: {problem["detail"]}");
        Assert.Empty(await _server.ExportAsync(sale));
    }

    [Fact]
    public async Task A_purchase_body_of_another_content_type_answers_400()
    {
        var sale = Ids.New("ctype");
        await _server.CreateOpenSaleAsync(sale, stock: 5);
        using var response = await Send(sale, """{"itemId":"phone"}""", "text/plain");
        await HttpAssert.Problem(response, 400);
        using var form = await Send(sale, "itemId=phone", "application/x-www-form-urlencoded");
        await HttpAssert.Problem(form, 400);
        Assert.Empty(await _server.ExportAsync(sale));
    }

    [Fact]
    public async Task A_purchase_body_over_4_KiB_is_refused_with_413_or_400()
    {
        var sale = Ids.New("big");
        await _server.CreateOpenSaleAsync(sale, stock: 5);
        var padding = new string(' ', EdgeLimits.MaxPurchaseBodyBytes);
        var body = "{\"itemId\":\"phone\"," + padding + "\"requestId\":\"r\"}";

        using var sized = await Send(sale, body, "application/json");
        Assert.Contains((int)sized.StatusCode, TooLargeOrBadRequest);
        await HttpAssert.Problem(sized, (int)sized.StatusCode);

        // Chunked: no Content-Length to refuse up front, so the reader has to count.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
        {
            Content = new ChunkedContent(Encoding.UTF8.GetBytes(body)),
        };
        chunked.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.TokenFor("big"));
        using var chunkedResponse = await _server.Client.SendAsync(chunked);
        Assert.Contains((int)chunkedResponse.StatusCode, TooLargeOrBadRequest);
        await HttpAssert.Problem(chunkedResponse, (int)chunkedResponse.StatusCode);

        // A body just under the limit is read in full.
        var fits = "{\"itemId\":\"phone\",\"requestId\":\"r\""
            + new string(' ', EdgeLimits.MaxPurchaseBodyBytes - 34) + "}";
        Assert.Equal(EdgeLimits.MaxPurchaseBodyBytes, Encoding.UTF8.GetByteCount(fits));
        using var ok = await Send(sale, fits, "application/json");
        await HttpAssert.Won(ok, sale, "big");
    }

    [Fact]
    public async Task Over_long_sale_ids_in_the_path_answer_400()
    {
        var longId = new string('s', EdgeLimits.MaxIdLength + 1);
        using var purchase = await Send(longId, """{"itemId":"phone"}""", "application/json");
        await HttpAssert.Problem(purchase, 400);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{longId}/reservation");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.TokenFor("long"));
        using var reservation = await _server.Client.SendAsync(request);
        await HttpAssert.Problem(reservation, 400);

        // The same preamble opens every endpoint that names a sale.
        string[] paths = [$"/api/sales/{longId}", $"/admin/sales/{longId}", $"/admin/sales/{longId}/reservations"];
        foreach (var path in paths)
        {
            var client = path.StartsWith("/admin", StringComparison.Ordinal) ? _server.Admin : _server.Client;
            using var response = await client.GetAsync(path);
            var detail = (string?)(await HttpAssert.Problem(response, 400))["detail"];
            Assert.Equal(Rejections.Describe(Rejection.SaleIdTooLong).Detail, detail);
        }

        using var close = await _server.Admin.PostAsync($"/admin/sales/{longId}/close", null);
        await HttpAssert.Problem(close, 400);
    }

    [Fact]
    public async Task Ids_at_their_limits_are_taken_and_one_character_more_is_refused()
    {
        var sale = "s" + new string('x', EdgeLimits.MaxIdLength - 1);
        var item = "i" + new string('y', EdgeLimits.MaxIdLength - 1);
        var items = new[] { new { id = item, name = "Item", price = 1m, stock = 5 } };
        await _server.CreateSaleAsync(new { id = sale, name = "Long ids", startsAt = "now", items });
        var user = new string('u', EdgeLimits.MaxIdLength);
        var requestId = new string('r', EdgeLimits.MaxRequestIdLength);
        using var won = await _server.PurchaseAsync(sale, _server.TokenFor(user), item, requestId);
        await HttpAssert.Won(won, sale, user, item);

        var longSub = Jws.Hs256($$"""{"sub":"{{user}}u","exp":{{Jws.Exp(TimeSpan.FromHours(1))}}}""");
        using var longUser = await _server.PurchaseAsync(sale, longSub, item);
        Assert.Equal(Rejections.Describe(Rejection.TokenMalformed).Detail,
            (string?)(await HttpAssert.Problem(longUser, 401))["detail"]);
        using var longItem = await _server.PurchaseAsync(sale, _server.TokenFor("other"), item + "y");
        Assert.Equal(Rejections.Describe(Rejection.ItemIdTooLong).Detail,
            (string?)(await HttpAssert.Problem(longItem, 400))["detail"]);
        Assert.Single(await _server.ExportAsync(sale));
    }

    public static TheoryData<string, string> BadSales()
    {
        var start = "\"startsAt\":\"2030-01-01T10:00:00Z\"";
        var item = """{"id":"phone","name":"Phone","price":1.5,"stock":3}""";
        return new TheoryData<string, string>
        {
            { "malformed JSON", "{\"name\":" },
            { "not an object", "[]" },
            { "null", "null" },
            { "no items", $$"""{"name":"x",{{start}}}""" },
            { "empty items", $$"""{"name":"x",{{start}},"items":[]}""" },
            { "null item", $$"""{"name":"x",{{start}},"items":[null]}""" },
            { "stock below zero", $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","price":1,"stock":-1}]}""" },
            { "duplicate item ids", $$"""{"name":"x",{{start}},"items":[{{item}},{{item}}]}""" },
            { "item without price", $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","stock":1}]}""" },
            { "negative price", $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","price":-1,"stock":1}]}""" },
            { "stock a string", $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","price":1,"stock":"3"}]}""" },
            { "stock a fraction",
                $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","price":1,"stock":1.5}]}""" },
            { "stock beyond int",
                $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","price":1,"stock":99999999999}]}""" },
            { "price beyond decimal",
                $$"""{"name":"x",{{start}},"items":[{"id":"a","name":"A","price":1e40,"stock":1}]}""" },
            { "no name", $$"""{{{start}},"items":[{{item}}]}""" },
            { "blank name", $$"""{"name":" ",{{start}},"items":[{{item}}]}""" },
            { "no startsAt", $$"""{"name":"x","items":[{{item}}]}""" },
            { "startsAt not a date", $$"""{"name":"x","startsAt":"soon","items":[{{item}}]}""" },
            { "startsAt a number", $$"""{"name":"x","startsAt":1700000000,"items":[{{item}}]}""" },
            { "endsAt before startsAt",
                $$"""{"name":"x",{{start}},"endsAt":"2029-01-01T00:00:00Z","items":[{{item}}]}""" },
            { "sale id with a slash", $$"""{"id":"a/b","name":"x",{{start}},"items":[{{item}}]}""" },
            { "sale id over the id limit",
                $$"""{"id":"{{new string('i', EdgeLimits.MaxIdLength + 1)}}","name":"x",{{start}},"items":[{{item}}]}"""
            },
            { "item id with a space",
                $$"""{"name":"x",{{start}},"items":[{"id":"a b","name":"A","price":1,"stock":1}]}""" },
            { "perUserLimit zero", $$"""{"name":"x",{{start}},"perUserLimit":0,"items":[{{item}}]}""" },
            { "holdSeconds zero", $$"""{"name":"x",{{start}},"holdSeconds":0,"items":[{{item}}]}""" },
            { "eligible user empty", $$"""{"name":"x",{{start}},"eligibleUsers":[""],"items":[{{item}}]}""" },
            { "eligible user null", $$"""{"name":"x",{{start}},"eligibleUsers":[null],"items":[{{item}}]}""" },
            { "items an object", $$"""{"name":"x",{{start}},"items":{{item}}}""" },
        };
    }

    [Theory]
    [MemberData(nameof(BadSales))]
    public async Task Creating_an_invalid_sale_answers_400_problem_and_creates_nothing(string why, string body)
    {
        var before = _server.Store.Sales.Count;
        using var response = await _server.Admin.PostAsync("/admin/sales",
            new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await HttpAssert.Problem(response, 400);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), why);
        Assert.Equal(before, _server.Store.Sales.Count);
    }

    [Fact]
    public async Task Unknown_sales_items_reservations_and_paths_answer_404_problem()
    {
        var sale = Ids.New("present");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        var token = _server.TokenFor("finder");

        using (var r = await _server.Client.GetAsync("/api/sales/nope")) await HttpAssert.Problem(r, 404);
        using (var r = await _server.Admin.GetAsync("/admin/sales/nope")) await HttpAssert.Problem(r, 404);
        using (var r = await _server.Admin.PostAsync("/admin/sales/nope/close", null)) await HttpAssert.Problem(r, 404);
        using (var r = await _server.Admin.GetAsync("/admin/sales/nope/reservations?format=csv"))
            await HttpAssert.Problem(r, 404);
        foreach (var id in new[] { "0-999999", "999-1", "nope", "-1-1", "0-", "1e3-2", new string('9', 30) + "-1" })
        {
            using (var r = await _server.Admin.PostAsync($"/admin/reservations/{id}/confirm", null))
                await HttpAssert.Problem(r, 404);
            using (var r = await _server.Admin.PostAsync($"/admin/reservations/{id}/cancel", null))
                await HttpAssert.Problem(r, 404);
        }

        using (var r = await _server.Client.GetAsync("/nope")) await HttpAssert.Problem(r, 404);
        using (var r = await _server.Client.GetAsync("/api/sales/x/y/z")) await HttpAssert.Problem(r, 404);
        using var reservation = new HttpRequestMessage(HttpMethod.Get, "/api/sales/nope/reservation");
        reservation.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var r = await _server.Client.SendAsync(reservation)) await HttpAssert.Problem(r, 404);
    }

    [Fact]
    public async Task Export_in_an_unknown_format_answers_400()
    {
        var sale = Ids.New("fmt");
        await _server.CreateOpenSaleAsync(sale, stock: 1);
        using var response = await _server.Admin.GetAsync($"/admin/sales/{sale}/reservations?format=xml");
        await HttpAssert.Problem(response, 400);
    }

    private Task<HttpResponseMessage> Send(string sale, string body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.TokenFor("big"));
        return _server.Client.SendAsync(request);
    }

    /// <summary>A body sent with Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
