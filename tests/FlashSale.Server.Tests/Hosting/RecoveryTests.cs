using System.Net;
using System.Text;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Hosting;

/// <summary>A clean stop and a start on the same data directory: everything the API showed is still there.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("fs-recovery");

    public void Dispose() => TempDirectory.Delete(_data);

    [Fact]
    public async Task After_a_restart_sales_reservations_statuses_and_remembered_answers_are_as_before()
    {
        string saleBefore, exportBefore, won, soldOut;
        await using (var server = await TestServer.StartOnAsync(_data))
        {
            await server.CreateOpenSaleAsync("kept", stock: 3);
            await server.CreateOpenSaleAsync("closed", stock: 3);
            var ids = new List<string>();
            foreach (var user in new[] { "a", "b", "c" })
            {
                using var response = await server.PurchaseAsync("kept", server.TokenFor(user), requestId: "r1");
                ids.Add((string)(await HttpAssert.Won(response, "kept", user))["id"]!);
            }

            using (await server.Admin.PostAsync($"/admin/reservations/{ids[0]}/confirm", null))
            using (await server.Admin.PostAsync($"/admin/reservations/{ids[1]}/cancel", null))
            using (await server.Admin.PostAsync("/admin/sales/closed/close", null))
            {
            }

            using (var last = await server.PurchaseAsync("kept", server.TokenFor("d"), requestId: "r1"))
                await HttpAssert.Won(last, "kept", "d");
            using (var late = await server.PurchaseAsync("kept", server.TokenFor("e"), requestId: "r1"))
                await HttpAssert.Problem(late, 409, "sold_out");
            won = await Body(server, "kept", "a", "r1");
            soldOut = await Body(server, "kept", "e", "r1");
            saleBefore = await Sale(server);
            exportBefore = await Export(server);
            await server.StopAsync();
        }

        await using var restarted = await TestServer.StartOnAsync(_data);
        Assert.Equal(saleBefore, await Sale(restarted));
        Assert.Equal(exportBefore, await Export(restarted));
        Assert.Equal(won, await Body(restarted, "kept", "a", "r1"));
        Assert.Equal(soldOut, await Body(restarted, "kept", "e", "r1"));
        using var closed = await restarted.PurchaseAsync("closed", restarted.TokenFor("f"));
        await HttpAssert.Problem(closed, 410, "ended");
    }

    [Fact]
    public async Task A_sale_with_a_large_eligibility_list_is_either_refused_or_survives_a_restart()
    {
        // 9,000 ids of 128 characters: over a megabyte, more than one journal record may hold.
        var eligible = Enumerable.Range(0, 9000).Select(i => $"{i:D6}".PadRight(128, 'u')).ToArray();
        HttpStatusCode status;
        await using (var server = await TestServer.StartOnAsync(_data))
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new
            {
                id = "vip",
                name = "Members",
                startsAt = "now",
                eligibleUsers = eligible,
                items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 5 } },
            });
            using var response = await server.Admin.PostAsync("/admin/sales",
                new StringContent(body, Encoding.UTF8, "application/json"));
            status = response.StatusCode;
            if (status != HttpStatusCode.Created) await HttpAssert.Problem(response, (int)status);
            Assert.True(
                status is HttpStatusCode.Created or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
                $"{(int)status}");
            await server.CreateOpenSaleAsync("after-vip", stock: 1);
            await server.StopAsync();
        }

        await using var restarted = await TestServer.StartOnAsync(_data);
        Assert.NotNull(restarted.Store.FindSale("after-vip"));
        if (status == HttpStatusCode.Created)
        {
            using var member = await restarted.PurchaseAsync("vip", restarted.TokenFor(eligible[^1]));
            await HttpAssert.Won(member, "vip", eligible[^1]);
        }
    }

    private static async Task<string> Body(TestServer server, string sale, string user, string requestId)
    {
        using var response = await server.PurchaseAsync(sale, server.TokenFor(user), requestId: requestId);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    private static async Task<string> Sale(TestServer server)
    {
        var sale = await server.GetJsonAsync(server.Admin, "/admin/sales/kept");
        sale.Remove("stats"); // answer counters start from zero after a restart, by design
        return sale.ToJsonString();
    }

    private static async Task<string> Export(TestServer server)
    {
        using var csv = await server.Admin.GetAsync("/admin/sales/kept/reservations?format=csv");
        return await csv.Content.ReadAsStringAsync() + string.Join("\n",
            (await server.ExportAsync("kept")).Select(r => r.ToJsonString()));
    }
}
