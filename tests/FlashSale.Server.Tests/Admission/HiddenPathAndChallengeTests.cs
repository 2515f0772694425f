using System.Net;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;
using static FlashSale.Server.Tests.Admission.AdmissionCalls;

namespace FlashSale.Server.Tests.Admission;

/// <summary>The hidden purchase path and the proof-of-work challenge, over real HTTP.</summary>
public sealed class HiddenPathAndChallengeTests
{
    [Fact]
    public async Task With_the_hidden_path_on_the_plain_route_is_refused_and_the_fetched_path_buys()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("hp", stock: 5);
        await SetStrategyAsync(server, "hp", new { hiddenPath = new { enabled = true, lifetimeSeconds = 60 } });
        var token = server.TokenFor("alice");

        using (var plain = await server.PurchaseAsync("hp", token))
            await HttpAssert.Problem(plain, 403, "path_required");

        using var fetched = await FetchPathAsync(server, "hp", token);
        var body = (await HttpAssert.Json(fetched)).AsObject();
        var path = (string)body["path"]!;
        Assert.StartsWith("/api/sales/hp/purchase/", path, StringComparison.Ordinal);
        Assert.NotNull(body["expiresAt"]);

        using (var bought = await PurchaseOnAsync(server, path, token))
            await HttpAssert.Won(bought, "hp", "alice");
        Assert.Equal(1, await CountAsync(server, "hp", "path_required"));
    }

    [Fact]
    public async Task A_path_is_refused_for_another_buyer_another_sale_or_when_altered()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("hp1", stock: 5);
        await server.CreateOpenSaleAsync("hp2", stock: 5);
        await SetStrategyAsync(server, "hp1", new { hiddenPath = new { enabled = true } });
        await SetStrategyAsync(server, "hp2", new { hiddenPath = new { enabled = true } });
        using var fetched = await FetchPathAsync(server, "hp1", server.TokenFor("alice"));
        var path = (string)(await HttpAssert.Json(fetched))["path"]!;
        var pass = path[(path.LastIndexOf('/') + 1)..];

        using (var bob = await PurchaseOnAsync(server, path, server.TokenFor("bob")))
            await HttpAssert.Problem(bob, 403, "path_invalid");
        using (var otherSale = await PurchaseOnAsync(server, $"/api/sales/hp2/purchase/{pass}",
                   server.TokenFor("alice")))
        {
            await HttpAssert.Problem(otherSale, 403, "path_invalid");
        }
        var altered = pass[..^2] + (pass[^2] == 'A' ? 'B' : 'A') + pass[^1];
        using (var tampered = await PurchaseOnAsync(server, $"/api/sales/hp1/purchase/{altered}",
                   server.TokenFor("alice")))
        {
            await HttpAssert.Problem(tampered, 403, "path_invalid");
        }
        using (var garbage = await PurchaseOnAsync(server, "/api/sales/hp1/purchase/not-a-pass%21",
                   server.TokenFor("alice")))
        {
            await HttpAssert.Problem(garbage, 403, "path_invalid");
        }

        // The genuine holder still buys with it.
        using var bought = await PurchaseOnAsync(server, path, server.TokenFor("alice"));
        await HttpAssert.Won(bought, "hp1", "alice");
    }

    [Fact]
    public async Task A_path_expires_after_its_lifetime()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("hpx", stock: 100, perUserLimit: 100);
        await SetStrategyAsync(server, "hpx", new { hiddenPath = new { enabled = true, lifetimeSeconds = 1 } });
        var token = server.TokenFor("alice");
        using var fetched = await FetchPathAsync(server, "hpx", token);
        var path = (string)(await HttpAssert.Json(fetched))["path"]!;

        await Eventually.True("the path expires", async () =>
        {
            using var late = await PurchaseOnAsync(server, path, server.TokenFor("alice"));
            if (late.StatusCode == HttpStatusCode.Created) return false;
            await HttpAssert.Problem(late, 403, "path_invalid");
            return true;
        });
    }

    [Fact]
    public async Task The_path_cannot_be_fetched_before_the_start()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateSaleAsync(new
        {
            id = "later",
            name = "Later",
            startsAt = DateTimeOffset.UtcNow.AddHours(1),
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } },
            admission = new { hiddenPath = new { enabled = true } },
        });
        using var early = await FetchPathAsync(server, "later", server.TokenFor("alice"));
        var body = await HttpAssert.Problem(early, 425, "not_started");
        Assert.NotNull(body["startsAt"]);
        using var plain = await server.PurchaseAsync("later", server.TokenFor("alice"));
        await HttpAssert.Problem(plain, 403, "path_required");
    }

    [Fact]
    public async Task Without_the_hidden_path_the_path_call_names_the_plain_route()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("plain", stock: 5);
        using var fetched = await FetchPathAsync(server, "plain", server.TokenFor("alice"));
        var body = await HttpAssert.Json(fetched);
        Assert.Equal("/api/sales/plain/purchase", (string?)body["path"]);
        Assert.Null(body["expiresAt"]);
    }

    [Fact]
    public async Task A_challenge_must_be_solved_once_per_purchase_and_a_replay_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("pow", stock: 5, perUserLimit: 5);
        await SetStrategyAsync(server, "pow", new { challenge = new { enabled = true, difficulty = 6 } });
        var token = server.TokenFor("alice");

        using var bare = await server.PurchaseAsync("pow", token);
        var refusal = await HttpAssert.Problem(bare, 403, "challenge_required");
        Assert.Equal(6, (int)refusal["difficulty"]!);
        Assert.Equal("sha256-leading-zero-bits", (string?)refusal["algorithm"]);

        // The refusal carries a challenge: solving it is enough.
        var solved = Solve(refusal);
        using (var bought = await PurchaseOnAsync(server, "/api/sales/pow/purchase", token, solved))
            await HttpAssert.Won(bought, "pow", "alice");

        using (var replay = await PurchaseOnAsync(server, "/api/sales/pow/purchase", token, solved))
        {
            var body = await HttpAssert.Problem(replay, 403, "challenge_failed");
            Assert.Equal("replayed", (string?)body["reason"]);
            Assert.NotNull(body["challenge"]);
        }

        Assert.Equal(1, await CountAsync(server, "pow", "challenge_required"));
        Assert.Equal(1, await CountAsync(server, "pow", "challenge_failed"));
    }

    [Fact]
    public async Task A_challenge_is_refused_for_another_buyer_another_sale_unsolved_or_malformed()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("pa", stock: 5);
        await server.CreateOpenSaleAsync("pb", stock: 5);
        foreach (var sale in new[] { "pa", "pb" })
        {
            await SetStrategyAsync(server, sale, new { challenge = new { enabled = true, difficulty = 8 } });
        }

        var alice = server.TokenFor("alice");
        var solved = await SolveAsync(server, "pa", alice);
        await Refused(PurchaseOnAsync(server, "/api/sales/pa/purchase", server.TokenFor("bob"), solved),
            "wrong_holder");
        await Refused(PurchaseOnAsync(server, "/api/sales/pb/purchase", alice, solved), "wrong_holder");
        var wrong = (solved.Challenge, WrongSolution(solved.Challenge, 8));
        await Refused(PurchaseOnAsync(server, "/api/sales/pa/purchase", alice, wrong), "unsolved");
        await Refused(PurchaseOnAsync(server, "/api/sales/pa/purchase", alice, (solved.Challenge, "-1")),
            "malformed");
        await Refused(PurchaseOnAsync(server, "/api/sales/pa/purchase", alice, ("x" + solved.Challenge[1..],
            solved.Solution)), "bad_signature", "malformed");

        // None of those used the challenge up.
        using var bought = await PurchaseOnAsync(server, "/api/sales/pa/purchase", alice, solved);
        await HttpAssert.Won(bought, "pa", "alice");

        static async Task Refused(Task<HttpResponseMessage> call, params string[] reasons)
        {
            using var response = await call;
            var body = await HttpAssert.Problem(response, 403, "challenge_failed");
            Assert.Contains((string?)body["reason"], reasons);
        }
    }

    [Fact]
    public async Task With_both_on_the_challenge_is_solved_for_the_path_and_the_path_then_buys()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("both", stock: 5);
        await SetStrategyAsync(server, "both", new
        {
            hiddenPath = new { enabled = true },
            challenge = new { enabled = true, difficulty = 6 },
        });
        var token = server.TokenFor("alice");

        using var bare = await FetchPathAsync(server, "both", token);
        var refusal = await HttpAssert.Problem(bare, 403, "challenge_required");
        using var fetched = await FetchPathAsync(server, "both", token, Solve(refusal));
        var path = (string)(await HttpAssert.Json(fetched))["path"]!;
        using var bought = await PurchaseOnAsync(server, path, token);
        await HttpAssert.Won(bought, "both", "alice");
    }

    [Fact]
    public async Task The_challenge_call_says_whether_one_is_required_and_never_caches()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("cc", stock: 1);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sales/cc/challenge");
        request.Headers.Authorization = new("Bearer", server.TokenFor("alice"));
        using var response = await server.Client.SendAsync(request);
        var body = (JsonObject)await HttpAssert.Json(response);
        Assert.False((bool)body["required"]!);
        Assert.True(response.Headers.CacheControl?.NoStore);

        using var anonymous = await server.Client.GetAsync("/api/sales/cc/challenge");
        await HttpAssert.Problem(anonymous, 401);
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/api/sales/nope/challenge");
        unknown.Headers.Authorization = new("Bearer", server.TokenFor("alice"));
        using var missing = await server.Client.SendAsync(unknown);
        await HttpAssert.Problem(missing, 404);
    }
}
