using System.Net.Http.Headers;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>An unconfirmed hold expires at holdUntil: its unit goes back on sale and the sale reopens.</summary>
public abstract class HoldExpiryTests(TestServer server)
{
    [Fact]
    public async Task An_expired_hold_frees_its_unit_the_sale_reopens_and_another_buyer_wins_it()
    {
        await server.CreateOpenSaleAsync("short-hold", stock: 1, holdSeconds: 1);
        var first = server.TokenFor("first");
        using var won = await server.PurchaseAsync("short-hold", first);
        var reservationId = (string)(await HttpAssert.Won(won, "short-hold", "first"))["id"]!;
        using (var soldOut = await server.PurchaseAsync("short-hold", server.TokenFor("second")))
            await HttpAssert.Problem(soldOut, 409, "sold_out");

        var reopened = await Eventually.Get("the sale reopens with one unit", async () =>
        {
            var sale = await server.GetJsonAsync(server.Client, "/api/sales/short-hold");
            return (string?)sale["state"] == "open" && (int)sale["items"]![0]!["remaining"]! == 1 ? sale : null;
        }, TimeSpan.FromSeconds(15));
        Assert.NotNull(reopened);

        using var mine = new HttpRequestMessage(HttpMethod.Get, "/api/sales/short-hold/reservation");
        mine.Headers.Authorization = new AuthenticationHeaderValue("Bearer", first);
        using var mineResponse = await server.Client.SendAsync(mine);
        Assert.Equal("expired", (string?)Assert.Single((await HttpAssert.Json(mineResponse)).AsArray())!["status"]);

        using (var confirm = await server.Admin.PostAsync($"/admin/reservations/{reservationId}/confirm", null))
        {
            Assert.Equal("expired", (string?)(await HttpAssert.Problem(confirm, 409))["reservation"]!["status"]);
        }

        using var second = await server.PurchaseAsync("short-hold", server.TokenFor("second"));
        await HttpAssert.Won(second, "short-hold", "second");
        var export = (await server.ExportAsync("short-hold")).Select(
            r => ((string?)r["userId"], (string?)r["status"])).ToList();
        Assert.Equal([("first", "expired"), ("second", "held")], export);
        Assert.Equal("sold_out", (string?)(await server.GetJsonAsync(server.Client, "/api/sales/short-hold"))["state"]);
    }
}
