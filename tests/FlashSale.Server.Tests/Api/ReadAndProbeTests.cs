using System.Globalization;
using System.Net;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The buyers' reads, the probes and the metrics.</summary>
public abstract class ReadAndProbeTests(TestServer server)
{
    private readonly TestServer _server = server;

    [Fact]
    public async Task Time_answers_the_server_clock_in_UTC_and_Unix_milliseconds()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await _server.Client.GetAsync("/api/time");
        var after = DateTimeOffset.UtcNow;
        var body = (await HttpAssert.Json(response)).AsObject();
        var text = (string)body["now"]!;
        var now = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        Assert.True(text.EndsWith('Z') || text.EndsWith("+00:00", StringComparison.Ordinal), text);
        Assert.Equal(TimeSpan.Zero, now.Offset);
        Assert.InRange(now, before.AddMilliseconds(-1), after.AddMilliseconds(1));
        Assert.Equal(now.ToUnixTimeMilliseconds(), (long)body["unixMs"]!);
    }

    [Fact]
    public async Task Sales_lists_scheduled_open_and_recently_ended_sales_but_not_older_ones()
    {
        var scheduled = Ids.New("l-scheduled");
        var open = Ids.New("l-open");
        var endedRecently = Ids.New("l-recent");
        var closedNow = Ids.New("l-closed");
        var endedLongAgo = Ids.New("l-old");
        var endedLongAgoClosedNow = Ids.New("l-old-closed");
        var now = DateTimeOffset.UtcNow;
        await Create(scheduled, now.AddHours(1), null);
        await Create(open, now.AddHours(-1), null);
        await Create(endedRecently, now.AddHours(-5), now.AddHours(-1));
        await Create(closedNow, now.AddHours(-1), null);
        await Create(endedLongAgo, now.AddDays(-3), now.AddDays(-2));
        await Create(endedLongAgoClosedNow, now.AddDays(-3), now.AddDays(-2));
        foreach (var id in new[] { closedNow, endedLongAgoClosedNow })
        {
            using var close = await _server.Admin.PostAsync($"/admin/sales/{id}/close", null);
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        using var response = await _server.Client.GetAsync("/api/sales");
        var sales = (await HttpAssert.Json(response)).AsArray().ToDictionary(s => (string)s!["id"]!,
            s => (string?)s!["state"]);
        Assert.Equal("scheduled", sales[scheduled]);
        Assert.Equal("open", sales[open]);
        Assert.Equal("ended", sales[endedRecently]);
        Assert.Equal("ended", sales[closedNow]);
        Assert.DoesNotContain(endedLongAgo, sales.Keys);

        // It ended two days ago; an operator's late close does not bring it back.
        Assert.DoesNotContain(endedLongAgoClosedNow, sales.Keys);
    }

    [Fact]
    public async Task A_sale_answers_with_every_field_of_the_contract()
    {
        var id = Ids.New("shape");
        await Create(id, DateTimeOffset.UtcNow.AddMinutes(-1), null);
        var sale = await _server.GetJsonAsync(_server.Client, $"/api/sales/{id}");
        foreach (var key in new[] { "id", "name", "startsAt", "endsAt", "state", "perUserLimit", "items" })
            Assert.True(sale.ContainsKey(key), key);
        var item = sale["items"]![0]!.AsObject();
        foreach (var key in new[] { "id", "name", "price", "stock", "remaining" })
            Assert.True(item.ContainsKey(key), key);
        Assert.Null(sale["endsAt"]);
        Assert.Equal("open", (string?)sale["state"]);

        // The buyers' view does not leak the operators' fields.
        Assert.False(sale.ContainsKey("stats"));
        Assert.False(sale.ContainsKey("eligibleUsers"));
    }

    [Fact]
    public async Task A_buyers_reservations_list_is_empty_before_a_win()
    {
        var id = Ids.New("mine");
        await Create(id, DateTimeOffset.UtcNow.AddMinutes(-1), null);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{id}/reservation");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            _server.TokenFor("nobody-yet"));
        using var response = await _server.Client.SendAsync(request);
        Assert.Empty((await HttpAssert.Json(response)).AsArray());
    }

    [Fact]
    public async Task Healthz_answers_200_without_auth()
    {
        using var response = await _server.Client.GetAsync("/healthz");
        var health = await HttpAssert.Json(response);
        Assert.Equal("ok", (string?)health["status"]);
        Assert.Equal(_server.Store.Kind, (string?)health["store"]);
    }

    [Fact]
    public async Task Metrics_exposes_attempts_by_outcome_latency_queue_depth_flush_latency_and_reservations_by_status()
    {
        var id = Ids.New("metrics");
        await _server.CreateOpenSaleAsync(id, stock: 1);
        using (var won = await _server.PurchaseAsync(id, _server.TokenFor("m1"))) await HttpAssert.Won(won, id, "m1");
        using (await _server.PurchaseAsync(id, _server.TokenFor("m2")))
        {
        }

        using var response = await _server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches("""flashsale_purchase_attempts_total\{outcome="won"\} [1-9]""", text);
        Assert.Matches("""flashsale_purchase_attempts_total\{outcome="sold_out"\} [1-9]""", text);
        Assert.Contains("""flashsale_purchase_attempts_total{outcome="rate_limited"}""", text,
            StringComparison.Ordinal);
        Assert.Contains("""flashsale_purchase_attempts_total{outcome="busy"}""", text, StringComparison.Ordinal);
        Assert.Matches("""flashsale_purchase_duration_seconds_bucket\{le="[^"]+"\} """, text);
        Assert.Matches("""flashsale_purchase_duration_seconds_count [1-9]""", text);
        Assert.Matches("""flashsale_engine_queue_depth \d""", text);
        Assert.Matches("""flashsale_journal_flush_duration_seconds_count [1-9]""", text);
        Assert.Matches("""flashsale_reservations\{status="held"\} [1-9]""", text);
        Assert.Contains("""flashsale_reservations{status="confirmed"}""", text, StringComparison.Ordinal);
        Assert.Contains("flashsale_store_up{store=\"" + _server.Store.Kind + "\"} 1", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A sale through the admin API; one that started in the past through the engine (the API refuses it).
    /// </summary>
    private async Task Create(string id, DateTimeOffset startsAt, DateTimeOffset? endsAt)
    {
        var items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 5 } };
        if (startsAt < DateTimeOffset.UtcNow) await _server.SeedSaleAsync(id, startsAt, endsAt);
        else await _server.CreateSaleAsync(new { id, name = "Sale " + id, startsAt, endsAt, items });
    }
}
