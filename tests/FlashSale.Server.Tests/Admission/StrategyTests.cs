using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;
using static FlashSale.Server.Tests.Admission.AdmissionCalls;

namespace FlashSale.Server.Tests.Admission;

/// <summary>A sale's admission strategy: defaults, changes on a live sale, the admin view, durability.</summary>
public sealed class StrategyTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("fs-strategy");

    public void Dispose() => TempDirectory.Delete(_data);

    [Fact]
    public async Task A_sale_created_without_a_strategy_shows_every_check_off_and_sells_as_before()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("plain", stock: 1);
        var admission = (await server.GetJsonAsync(server.Admin, "/admin/sales/plain"))["admission"]!;
        Assert.False((bool)admission["hiddenPath"]!["enabled"]!);
        Assert.False((bool)admission["challenge"]!["enabled"]!);
        Assert.Equal(0, (int)admission["ipRate"]!["permitsPerSecond"]!);
        Assert.Equal(0, (int)admission["autoBan"]!["threshold"]!);
        Assert.False((bool)admission["waitingRoom"]!["enabled"]!);
        using var bought = await server.PurchaseAsync("plain", server.TokenFor("a"));
        await HttpAssert.Won(bought, "plain", "a");
    }

    [Fact]
    public async Task A_live_change_applies_to_the_next_request_keeps_what_it_leaves_out_and_survives_a_restart()
    {
        JsonNode before;
        await using (var server = await TestServer.StartOnAsync(_data))
        {
            await server.CreateSaleAsync(new
            {
                id = "live",
                name = "Live",
                startsAt = "now",
                perUserLimit = 5,
                items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 10 } },
                admission = new { ipRate = new { permitsPerSecond = 100, burst = 200 } },
            });
            using (var first = await server.PurchaseAsync("live", server.TokenFor("a")))
                await HttpAssert.Won(first, "live", "a");

            var changed = await SetStrategyAsync(server, "live", new
            {
                challenge = new { enabled = true, difficulty = 5, maxDifficulty = 12, riseAbovePerSecond = 50 },
            });
            Assert.Equal(100, (int)changed["admission"]!["ipRate"]!["permitsPerSecond"]!);
            Assert.True((bool)changed["admission"]!["challenge"]!["enabled"]!);
            Assert.Equal(12, (int)changed["admission"]!["challenge"]!["maxDifficulty"]!);
            using (var next = await server.PurchaseAsync("live", server.TokenFor("a")))
                await HttpAssert.Problem(next, 403, "challenge_required");

            await SetStrategyAsync(server, "live", new { autoBan = new { threshold = 7 } });
            before = (await server.GetJsonAsync(server.Admin, "/admin/sales/live"))["admission"]!.DeepClone();
            await server.StopAsync();
        }

        await using var restarted = await TestServer.StartOnAsync(_data);
        var after = (await restarted.GetJsonAsync(restarted.Admin, "/admin/sales/live"))["admission"]!;
        Assert.True(JsonNode.DeepEquals(before, after), $"{before.ToJsonString()} != {after.ToJsonString()}");
        var alone = await restarted.GetJsonAsync(restarted.Admin, "/admin/sales/live/admission");
        Assert.True(JsonNode.DeepEquals(before, alone));
        using var stillChallenged = await restarted.PurchaseAsync("live", restarted.TokenFor("b"));
        await HttpAssert.Problem(stillChallenged, 403, "challenge_required");
    }

    [Fact]
    public async Task A_sale_created_with_a_strategy_has_it_from_the_start()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateSaleAsync(new
        {
            id = "born",
            name = "Born",
            startsAt = "now",
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 10 } },
            admission = new { hiddenPath = new { enabled = true, lifetimeSeconds = 15 } },
        });
        var admission = (await server.GetJsonAsync(server.Admin, "/admin/sales/born"))["admission"]!;
        Assert.True((bool)admission["hiddenPath"]!["enabled"]!);
        Assert.Equal(15, (int)admission["hiddenPath"]!["lifetimeSeconds"]!);
        using var plain = await server.PurchaseAsync("born", server.TokenFor("a"));
        await HttpAssert.Problem(plain, 403, "path_required");
    }
}
