using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;
using static FlashSale.Server.Tests.Admission.AdmissionCalls;

namespace FlashSale.Server.Tests.Admission;

/// <summary>Block list, automatic bans, the per-address bucket and the anonymous reads' limit, over HTTP.</summary>
public sealed class TrafficFilterTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("fs-filter");

    public void Dispose() => TempDirectory.Delete(_data);

    [Fact]
    public async Task A_blocked_buyer_is_refused_at_once_and_served_again_once_removed()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("bl", stock: 5);
        using (var added = await BlockAsync(server, new { buyer = "scalper", reason = "bot farm" }))
        {
            var block = (await HttpAssert.Json(added, HttpStatusCode.Created)).AsObject();
            Assert.Equal("buyer", (string?)block["kind"]);
            Assert.Equal("scalper", (string?)block["value"]);
            Assert.Equal("bot farm", (string?)block["reason"]);
            Assert.Null(block["until"]);
        }

        using (var refused = await server.PurchaseAsync("bl", server.TokenFor("scalper")))
            await HttpAssert.Problem(refused, 403, "blocked");
        using (var other = await server.PurchaseAsync("bl", server.TokenFor("person")))
            await HttpAssert.Won(other, "bl", "person");

        using (var removed = await server.Admin.DeleteAsync("/admin/blocks?buyer=scalper"))
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using (var again = await server.Admin.DeleteAsync("/admin/blocks?buyer=scalper"))
            await HttpAssert.Problem(again, 404);
        using (var served = await server.PurchaseAsync("bl", server.TokenFor("scalper")))
            await HttpAssert.Won(served, "bl", "scalper");
        Assert.Equal(1, await CountAsync(server, "bl", "blocked"));
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("flashsale_admission_refusals_total{outcome=\"blocked\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("flashsale_purchase_attempts_total{outcome=\"blocked\"} 1", metrics,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_range_block_applies_and_survives_a_restart()
    {
        await using (var server = await TestServer.StartOnAsync(_data))
        {
            await server.CreateOpenSaleAsync("cidr", stock: 5);
            using (var added = await BlockAsync(server, new { ip = "127.1.2.3/8" }))
            {
                var block = await HttpAssert.Json(added, HttpStatusCode.Created);
                Assert.Equal("127.0.0.0/8", (string?)block["value"]);
            }

            using var refused = await server.PurchaseAsync("cidr", server.TokenFor("anyone"));
            await HttpAssert.Problem(refused, 403, "blocked");
            await server.StopAsync();
        }

        await using var restarted = await TestServer.StartOnAsync(_data);
        using (var still = await restarted.PurchaseAsync("cidr", restarted.TokenFor("anyone")))
            await HttpAssert.Problem(still, 403, "blocked");
        var list = (await HttpAssert.Json(await restarted.Admin.GetAsync("/admin/blocks"))).AsArray();
        Assert.Equal("127.0.0.0/8", (string?)Assert.Single(list)!["value"]);
        using (var removed = await restarted.Admin.DeleteAsync("/admin/blocks?ip=127.0.0.0%2F8"))
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var served = await restarted.PurchaseAsync("cidr", restarted.TokenFor("anyone"));
        await HttpAssert.Won(served, "cidr", "anyone");
    }

    [Fact]
    public async Task A_temporary_block_lapses_by_itself()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("tmp", stock: 5);
        using (var added = await BlockAsync(server, new { buyer = "brief", seconds = 1 }))
            Assert.NotNull((await HttpAssert.Json(added, HttpStatusCode.Created))["until"]);
        using (var refused = await server.PurchaseAsync("tmp", server.TokenFor("brief")))
            await HttpAssert.Problem(refused, 403, "blocked");
        await Eventually.True("the block lapses", async () =>
        {
            using var response = await server.PurchaseAsync("tmp", server.TokenFor("brief"));
            return response.StatusCode == HttpStatusCode.Created;
        });
    }

    [Fact]
    public async Task X_Forwarded_For_from_an_untrusted_peer_is_ignored()
    {
        // No trusted proxy: the peer (127.0.0.1) is the client, whatever the header claims.
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("xff", stock: 5);
        using (await BlockAsync(server, new { ip = "203.0.113.0/24" }))
        using (var spoofedIn = await PurchaseOnAsync(server, "/api/sales/xff/purchase", server.TokenFor("a"),
                   forwardedFor: "203.0.113.9"))
        {
            await HttpAssert.Won(spoofedIn, "xff", "a");
        }

        using (await BlockAsync(server, new { ip = "127.0.0.1" }))
        using (var spoofedOut = await PurchaseOnAsync(server, "/api/sales/xff/purchase", server.TokenFor("b"),
                   forwardedFor: "198.51.100.7"))
        {
            await HttpAssert.Problem(spoofedOut, 403, "blocked");
        }
    }

    [Fact]
    public async Task X_Forwarded_For_from_a_trusted_proxy_names_the_client_IPv4_or_IPv6()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:Admission:TrustedProxies:0=127.0.0.1");
        await server.CreateOpenSaleAsync("proxied", stock: 10, perUserLimit: 10);
        using (await BlockAsync(server, new { ip = "2001:db8::/32" }))
        using (await BlockAsync(server, new { ip = "198.51.100.0/24" }))
        {
        }

        // The rightmost address that is not a trusted proxy is the client; what it claimed further left is not.
        await Expect("2001:db8:1::5", 403);
        await Expect("198.51.100.200, 127.0.0.1", 403);
        await Expect("198.51.100.200, 192.0.2.1", 201);
        await Expect("2001:db9::1", 201);
        await Expect("not-an-address", 201);

        async Task Expect(string forwardedFor, int status)
        {
            using var response = await PurchaseOnAsync(server, "/api/sales/proxied/purchase",
                server.TokenFor("p" + Guid.NewGuid().ToString("N")[..8]), forwardedFor: forwardedFor);
            Assert.True((int)response.StatusCode == status,
                $"{forwardedFor}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_per_address_bucket_is_shared_by_every_account_behind_one_address()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("ipr", stock: 100);
        await SetStrategyAsync(server, "ipr", new { ipRate = new { permitsPerSecond = 1, burst = 3 } });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await server.PurchaseAsync("ipr", server.TokenFor($"account{i}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await HttpAssert.Problem(response, 429, "rate_limited");
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Created), 3, 5);
    }

    [Fact]
    public async Task A_buyer_who_keeps_hammering_after_rate_limited_is_banned_until_the_ban_expires()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:RateLimit:PermitsPerSecond=1",
            "--FlashSale:RateLimit:Burst=1");
        await server.CreateOpenSaleAsync("ban", stock: 100, perUserLimit: 100);
        await SetStrategyAsync(server, "ban",
            new { autoBan = new { threshold = 3, windowSeconds = 30, banSeconds = 2 } });
        var token = server.TokenFor("hammer");

        JsonObject? banned = null;
        HttpResponseMessage? last = null;
        for (var i = 0; i < 20 && banned is null; i++)
        {
            last?.Dispose();
            last = await server.PurchaseAsync("ban", token);
            if ((int)last.StatusCode == 403) banned = await HttpAssert.Problem(last, 403, "banned");
        }

        Assert.NotNull(banned);
        var retryAfter = int.Parse(last!.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 2);
        last.Dispose();

        // Another buyer is not affected; the ban ends by itself.
        using (var other = await server.PurchaseAsync("ban", server.TokenFor("calm")))
            await HttpAssert.Won(other, "ban", "calm");
        await Eventually.True("the ban expires", async () =>
        {
            using var response = await server.PurchaseAsync("ban", token);
            return response.StatusCode == HttpStatusCode.Created;
        });
        Assert.True(await CountAsync(server, "ban", "banned") >= 1);
    }

    [Fact]
    public async Task Anonymous_reads_are_limited_per_address_and_answer_429_with_Retry_After()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:Admission:ReadRate:PermitsPerSecond=1",
            "--FlashSale:Admission:ReadRate:Burst=2");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await server.Client.GetAsync("/api/sales");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await HttpAssert.Problem(response, 429, "rate_limited");
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Contains("flashsale_read_refusals_total", await server.Client.GetStringAsync("/metrics"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cached_reads_show_an_operators_change_at_once()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Empty((await HttpAssert.Json(await server.Client.GetAsync("/api/sales"))).AsArray());
        await server.CreateOpenSaleAsync("seen", stock: 1);
        Assert.Single((await HttpAssert.Json(await server.Client.GetAsync("/api/sales"))).AsArray());
        Assert.Equal("open",
            (string?)(await HttpAssert.Json(await server.Client.GetAsync("/api/sales/seen")))["state"]);
        using (await server.Admin.PostAsync("/admin/sales/seen/close", null))
        {
        }

        Assert.Equal("ended",
            (string?)(await HttpAssert.Json(await server.Client.GetAsync("/api/sales/seen")))["state"]);
    }

    [Fact]
    public async Task Bad_block_and_strategy_bodies_get_400_and_unknown_sales_404()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("v", stock: 1);
        object[] badBlocks =
        [
            new { }, new { buyer = "a", ip = "1.2.3.4" }, new { ip = "1.2.3.4/33" }, new { ip = "::/129" },
            new { ip = "nope" }, new { buyer = "" }, new { buyer = new string('u', 129) },
            new { buyer = "a", seconds = 0 }, new { buyer = "a", reason = new string('r', 201) },
        ];
        foreach (var block in badBlocks)
        {
            using var response = await BlockAsync(server, block);
            await HttpAssert.Problem(response, 400);
        }

        object[] badStrategies =
        [
            new { challenge = new { difficulty = 33 } }, new { challenge = new { difficulty = -1 } },
            new { challenge = new { difficulty = 10, maxDifficulty = 9 } },
            new { hiddenPath = new { lifetimeSeconds = 0 } },
            new { ipRate = new { permitsPerSecond = 5, burst = 0 } }, new { autoBan = new { threshold = -1 } },
            new { waitingRoom = new { admitPerSecond = 0 } },
        ];
        foreach (var strategy in badStrategies)
        {
            using var response = await server.Admin.PostAsync("/admin/sales/v/admission",
                System.Net.Http.Json.JsonContent.Create(strategy));
            await HttpAssert.Problem(response, 400);
        }

        using (var malformed = await server.Admin.PostAsync("/admin/sales/v/admission",
                   new StringContent("{\"challenge\":{\"enabled\":\"yes\"}}", System.Text.Encoding.UTF8,
                       "application/json")))
        {
            await HttpAssert.Problem(malformed, 400);
        }
        using (var unknown = await server.Admin.PostAsync("/admin/sales/nope/admission",
                   System.Net.Http.Json.JsonContent.Create(new { })))
        {
            await HttpAssert.Problem(unknown, 404);
        }
        using (var neither = await server.Admin.DeleteAsync("/admin/blocks"))
            await HttpAssert.Problem(neither, 400);
        using (var anonymous = await server.Client.PostAsync("/admin/blocks",
                   System.Net.Http.Json.JsonContent.Create(new { buyer = "x" })))
        {
            await HttpAssert.Problem(anonymous, 401);
        }
    }
}
