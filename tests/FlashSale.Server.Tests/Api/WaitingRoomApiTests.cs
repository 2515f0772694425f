using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using FlashSale.Server.Admission;
using FlashSale.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Server.Tests.Api;

/// <summary>A sale with a waiting room, over real HTTP: tickets, grants, the stream, a restart.</summary>
public sealed class WaitingRoomApiTests
{
    [Fact]
    public async Task Before_the_start_a_purchase_gets_a_ticket_and_after_it_the_turn_comes_with_a_grant()
    {
        await using var server = await TestServer.StartAsync();
        var startsAt = await CreateAsync(server, "wr-basic", startIn: TimeSpan.FromSeconds(5), admitPerSecond: 1000);
        var token = server.TokenFor("alice");

        using (var early = await server.PurchaseAsync("wr-basic", token))
        {
            var body = (await HttpAssert.Json(early, HttpStatusCode.Accepted)).AsObject();
            Assert.Equal("waiting", (string?)body["outcome"]);
            Assert.Null(body["position"]);
            Assert.True((bool)body["preQueue"]!);
            Assert.InRange((long)body["etaMs"]!, 1, 5_000);
            Assert.False(string.IsNullOrEmpty((string?)body["ticket"]));
            Assert.Equal("/api/sales/wr-basic/waiting-room", (string?)body["events"]);
            Assert.InRange(int.Parse(early.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture),
                1, 60);
        }

        await WaitUntil(startsAt);
        using var response = await Eventually.Get("alice's turn", async () =>
        {
            var answer = await server.PurchaseAsync("wr-basic", token);
            if (answer.StatusCode != HttpStatusCode.Accepted) return answer;
            answer.Dispose();
            return null;
        });
        await HttpAssert.Won(response, "wr-basic", "alice");
        var grant = response.Headers.GetValues(WaitingRooms.GrantHeader).Single();

        // The grant lets its buyer in again (here: limit_reached, from the engine).
        using var again = await PurchaseWith(server, "wr-basic", token, grant: grant);
        await HttpAssert.Problem(again, 409, "limit_reached");
    }

    [Fact]
    public async Task A_tampered_expired_or_someone_elses_grant_is_refused_with_403()
    {
        await using var server = await TestServer.StartAsync();
        await CreateAsync(server, "wr-grant", startIn: TimeSpan.FromSeconds(45), admitPerSecond: 10);
        var token = server.TokenFor("mallory");
        var passes = new SignedPasses(TestServer.TokenSecret, TimeProvider.System);

        var bobs = passes.Issue(PassKind.Grant, "wr-grant", "bob", TimeSpan.FromMinutes(1));
        var otherSale = passes.Issue(PassKind.Grant, "elsewhere", "mallory", TimeSpan.FromMinutes(1));
        var ticketNotGrant = passes.Issue(PassKind.WaitingTicket, "wr-grant", "mallory", TimeSpan.FromMinutes(1));
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var expired = new SignedPasses(TestServer.TokenSecret, past)
            .Issue(PassKind.Grant, "wr-grant", "mallory", TimeSpan.FromMinutes(1));
        var own = passes.Issue(PassKind.Grant, "wr-grant", "mallory", TimeSpan.FromMinutes(1));
        var tampered = own[..^2] + (own[^2] == 'A' ? "B" : "A") + own[^1];
        var forged = new SignedPasses("another-secret-0123456789abcdefghijkl", TimeProvider.System)
            .Issue(PassKind.Grant, "wr-grant", "mallory", TimeSpan.FromMinutes(1));

        foreach (var (grant, detail) in new[]
        {
            (bobs, "another buyer"), (otherSale, "another buyer or another sale"), (ticketNotGrant, "another"),
            (expired, "expired"), (tampered, "not valid"), (forged, "not valid"), ("!!not-base64!!", "not valid"),
        })
        {
            using var response = await PurchaseWith(server, "wr-grant", token, grant: grant);
            var body = await HttpAssert.Problem(response, 403, "grant_invalid");
            Assert.Contains(detail, (string?)body["detail"], StringComparison.Ordinal);
        }

        Assert.Empty(await server.ExportAsync("wr-grant"));
    }

    [Fact]
    public async Task The_stream_pushes_the_place_and_a_reconnect_finds_the_same_place()
    {
        await using var server = await TestServer.StartAsync();
        var startsAt = await CreateAsync(server, "wr-sse", startIn: TimeSpan.FromSeconds(5), admitPerSecond: 1);
        var users = Enumerable.Range(1, 8).Select(i => $"sse-{i}").ToList();
        foreach (var user in users)
        {
            using var joined = await server.PurchaseAsync("wr-sse", server.TokenFor(user));
            Assert.Equal(HttpStatusCode.Accepted, joined.StatusCode);
        }

        await WaitUntil(startsAt);
        var seed = (long)(await server.GetJsonAsync(server.Admin, "/admin/sales/wr-sse"))["waitingRoom"]!["seed"]!;
        var last = QueueOrder.Shuffle(seed, users)[^1];

        var first = await FirstEventAsync(server, "wr-sse", last, "place");
        Assert.True((bool)first["preQueue"]!);
        var position = (long)first["position"]!;
        Assert.InRange(position, 1, users.Count - 1);
        Assert.True((long)first["etaMs"]! > 0);

        // Reconnecting keeps the place: still a pre-queue ticket, no further back than before.
        var second = await FirstEventAsync(server, "wr-sse", last, "place");
        Assert.True((bool)second["preQueue"]!);
        Assert.InRange((long)second["position"]!, 0, position);

        // A newcomer after the start queues behind everyone.
        var newcomer = await FirstEventAsync(server, "wr-sse", "newcomer", "place");
        Assert.False((bool)newcomer["preQueue"]!);
        Assert.True((long)newcomer["position"]! > (long)second["position"]!);
    }

    [Fact]
    public async Task The_stream_sends_heartbeats_before_the_pre_queue_opens_and_refuses_a_sale_without_a_room()
    {
        await using var server = await TestServer.StartAsync();
        await CreateAsync(server, "wr-later", startIn: TimeSpan.FromHours(2), admitPerSecond: 10);
        var heartbeat = await FirstEventAsync(server, "wr-later", "eager", "heartbeat");
        Assert.NotNull(heartbeat["now"]);

        await server.CreateOpenSaleAsync("plain", stock: 1);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sales/plain/waiting-room");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.TokenFor("eager"));
        using var response = await server.Client.SendAsync(request);
        await HttpAssert.Problem(response, 404);

        using var anonymous = await server.Client.GetAsync("/api/sales/wr-later/waiting-room");
        await HttpAssert.Problem(anonymous, 401);
    }

    [Fact]
    public async Task After_a_restart_tickets_keep_the_pre_queue_order_drawn_from_the_journaled_seed()
    {
        var data = TempDirectory.Create("fs-waitroom");
        try
        {
            var users = Enumerable.Range(1, 6).Select(i => $"restart-{i}").ToList();
            var tickets = new Dictionary<string, string>();
            DateTimeOffset startsAt;
            long seed;
            await using (var server = await TestServer.StartOnAsync(data))
            {
                startsAt = await CreateAsync(server, "wr-restart", startIn: TimeSpan.FromSeconds(6),
                    admitPerSecond: 1);
                seed = (long)(await server.GetJsonAsync(server.Admin, "/admin/sales/wr-restart"))["waitingRoom"]!
                    ["seed"]!;
                foreach (var user in users)
                {
                    using var joined = await server.PurchaseAsync("wr-restart", server.TokenFor(user));
                    var body = (await HttpAssert.Json(joined, HttpStatusCode.Accepted)).AsObject();
                    tickets[user] = (string)body["ticket"]!;
                }
            }

            await using var restarted = await TestServer.StartOnAsync(data);
            var sale = await restarted.GetJsonAsync(restarted.Admin, "/admin/sales/wr-restart");
            Assert.Equal(seed, (long)sale["waitingRoom"]!["seed"]!);
            await WaitUntil(startsAt);

            // They come back in reverse order, with their tickets: the places follow the seed, not the return order.
            foreach (var user in Enumerable.Reverse(users))
            {
                using var back = await PurchaseWith(restarted, "wr-restart", restarted.TokenFor(user),
                    ticket: tickets[user]);
                Assert.True(back.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created,
                    $"{(int)back.StatusCode} {await back.Content.ReadAsStringAsync()}");
                if (back.StatusCode == HttpStatusCode.Accepted)
                {
                    Assert.True((bool)(await HttpAssert.Json(back, HttpStatusCode.Accepted))["preQueue"]!);
                }
            }

            var audit = await restarted.GetJsonAsync(restarted.Admin, "/admin/sales/wr-restart/waiting-room");
            Assert.Equal(seed, (long)audit["seed"]!);
            var order = audit["order"]!.AsArray().Select(node => (string)node!).ToList();
            Assert.Equal(QueueOrder.Shuffle(seed, users), order);

            // A buyer without its ticket would have been a newcomer, behind them all.
            using var newcomer = await restarted.PurchaseAsync("wr-restart", restarted.TokenFor("no-ticket"));
            var newcomerBody = (await HttpAssert.Json(newcomer, HttpStatusCode.Accepted)).AsObject();
            Assert.False((bool)newcomerBody["preQueue"]!);
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    [Theory]
    [InlineData("{\"waitingRoom\":{\"admitPerSecond\":0}}", "admitPerSecond")]
    [InlineData("{\"waitingRoom\":{\"preQueueSeconds\":-1}}", "preQueueSeconds")]
    [InlineData("{\"waitingRoom\":{\"grantSeconds\":0}}", "grantSeconds")]
    [InlineData("{\"waitingRoom\":{\"admitPerSecond\":\"fast\"}}", "waitingRoom")]
    [InlineData("{\"waitingRoom\":[]}", "waitingRoom")]
    public async Task Invalid_waiting_room_settings_are_refused_with_400(string extra, string mention)
    {
        await using var server = await TestServer.StartAsync();
        var json = JsonNode.Parse(
            "{\"id\":\"bad\",\"name\":\"Bad\",\"startsAt\":\"now\",\"items\":[{\"id\":\"phone\",\"name\":\"Phone\"," +
            "\"price\":1,\"stock\":1}]}")!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject()) json[key] = value?.DeepClone();
        using var response = await server.Admin.PostAsync("/admin/sales",
            new StringContent(json.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var body = await HttpAssert.Problem(response, 400);
        Assert.Contains(mention, (string?)body["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzzed_grants_tickets_and_waiting_room_settings_get_no_5xx()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:RateLimit:Enabled=false");
        await CreateAsync(server, "wr-fuzz", startIn: TimeSpan.FromSeconds(40), admitPerSecond: 5);
        var random = new Random(20261129);
        var passes = new SignedPasses(TestServer.TokenSecret, TimeProvider.System);
        var valid = passes.Issue(PassKind.WaitingTicket, "wr-fuzz", "fuzzer", TimeSpan.FromDays(1));
        var token = server.TokenFor("fuzzer");
        var statuses = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var value = random.Next(6) switch
            {
                0 => valid[..random.Next(valid.Length)],
                1 => new string((char)random.Next(33, 127), random.Next(1, 3000)),
                2 => Convert.ToBase64String(RandomBytes(random, random.Next(0, 700))).Replace('+', '-')
                    .Replace('/', '_').TrimEnd('='),
                3 => valid.Remove(random.Next(valid.Length), 1).Insert(random.Next(valid.Length - 1), "A"),
                4 => passes.Issue((PassKind)random.Next(0, 256), "wr-fuzz", "fuzzer", TimeSpan.FromSeconds(
                    random.Next(-100, 100))),
                _ => "",
            };
            var header = random.Next(2) == 0 ? WaitingRooms.GrantHeader : WaitingRooms.TicketHeader;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sales/wr-fuzz/purchase")
            {
                Content = new StringContent("{\"itemId\":\"phone\"}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await server.Client.SendAsync(request);
            statuses.Add((int)response.StatusCode);

            using var stream = new HttpRequestMessage(HttpMethod.Get,
                "/api/sales/wr-fuzz/waiting-room?ticket=" + Uri.EscapeDataString(value));
            stream.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var streamed = await server.Client.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
            statuses.Add((int)streamed.StatusCode);
        }

        string[] numbers = ["0", "-1", "1", "2147483648", "9223372036854775808", "1e3", "1.5", "null", "\"7\"", "[]",
            "{}", "true"];
        string[] keys = ["preQueueSeconds", "admitPerSecond", "grantSeconds", "seed", "unknown"];
        for (var i = 0; i < 200; i++)
        {
            var members = string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
                $"\"{keys[random.Next(keys.Length)]}\":{numbers[random.Next(numbers.Length)]}"));
            var room = random.Next(5) == 0 ? numbers[random.Next(numbers.Length)] : "{" + members + "}";
            var body = $"{{\"id\":\"fz-{i}\",\"name\":\"F\",\"startsAt\":\"now\",\"waitingRoom\":{room}," +
                "\"items\":[{\"id\":\"phone\",\"name\":\"P\",\"price\":1,\"stock\":1}]}";
            using var response = await server.Admin.PostAsync("/admin/sales",
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            statuses.Add((int)response.StatusCode);
        }

        Assert.DoesNotContain(statuses, status => status >= 500);
        Assert.Contains(201, statuses);
        Assert.Contains(400, statuses);
        using var health = await server.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task<DateTimeOffset> CreateAsync(TestServer server, string id, TimeSpan startIn,
        int admitPerSecond)
    {
        var startsAt = DateTimeOffset.UtcNow.Add(startIn);
        await server.CreateSaleAsync(new
        {
            id,
            name = "Sale " + id,
            startsAt = startsAt.ToString("O", CultureInfo.InvariantCulture),
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 100 } },
            waitingRoom = new { preQueueSeconds = 60, admitPerSecond },
        });
        return startsAt;
    }

    private static async Task WaitUntil(DateTimeOffset at)
    {
        // A deadline, not a condition: the sale's start is a time of the wall clock.
        var left = at - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        if (left > TimeSpan.Zero) await Task.Delay(left);
    }

    private static Task<HttpResponseMessage> PurchaseWith(TestServer server, string saleId, string token,
        string? grant = null, string? ticket = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{saleId}/purchase")
        {
            Content = new StringContent("{\"itemId\":\"phone\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (grant is not null) request.Headers.TryAddWithoutValidation(WaitingRooms.GrantHeader, grant);
        if (ticket is not null) request.Headers.TryAddWithoutValidation(WaitingRooms.TicketHeader, ticket);
        return server.Client.SendAsync(request);
    }

    /// <summary>Opens the buyer's stream, reads until the first event of <paramref name="type"/>, and closes it.
    /// </summary>
    private static async Task<JsonObject> FirstEventAsync(TestServer server, string saleId, string user, string type)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{saleId}/waiting-room");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.TokenFor(user));
        using var cancel = new CancellationTokenSource(Eventually.DefaultDeadline);
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
            cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancel.Token))
        {
            if (item.EventType == type) return JsonNode.Parse(item.Data)!.AsObject();
        }

        throw new InvalidOperationException($"the stream ended without a {type} event");
    }
}
