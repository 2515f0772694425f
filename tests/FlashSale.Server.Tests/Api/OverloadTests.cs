using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The overload gate: beyond the purchases in flight it allows, the next one hears 503 busy at once.</summary>
public sealed class OverloadTests
{
    [Fact]
    public async Task Beyond_the_purchases_in_flight_allowed_the_next_hears_busy_with_a_jittered_Retry_After()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:MaxPurchasesInFlight=1",
            "--FlashSale:BusyRetryAfterSeconds=2");
        await server.CreateOpenSaleAsync("gate", stock: 10);

        // One purchase held in flight: its body has not arrived yet.
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        using var slowClient = server.NewClient();
        using var slow = new HttpRequestMessage(HttpMethod.Post, "/api/sales/gate/purchase")
        {
            Content = new HeldContent(started, release.Task),
        };
        slow.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.TokenFor("slow"));
        var slowAnswer = slowClient.SendAsync(slow);
        await started.Task.WaitAsync(Eventually.DefaultDeadline);

        var retryAfters = new HashSet<int>();
        await Eventually.True("a purchase beyond the gate is shed", async () =>
        {
            using var shed = await server.PurchaseAsync("gate", server.TokenFor("next"));
            if (shed.StatusCode != HttpStatusCode.ServiceUnavailable) return false;
            await HttpAssert.Problem(shed, 503, "busy");
            retryAfters.Add(int.Parse(shed.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture));
            return true;
        });
        for (var i = 0; i < 40; i++)
        {
            using var shed = await server.PurchaseAsync("gate", server.TokenFor("next"), requestId: $"n{i}");
            await HttpAssert.Problem(shed, 503, "busy");
            retryAfters.Add(int.Parse(shed.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture));
        }

        // Spread between the setting and twice it, so that retries do not come back as one wave.
        Assert.Subset(new HashSet<int> { 2, 3, 4 }, retryAfters);
        Assert.True(retryAfters.Count > 1, string.Join(",", retryAfters));
        Assert.Empty(await server.ExportAsync("gate"));

        release.SetResult();
        using (var answer = await slowAnswer) await HttpAssert.Won(answer, "gate", "slow");
        using var after = await server.PurchaseAsync("gate", server.TokenFor("next"));
        await HttpAssert.Won(after, "gate", "next");
        var stats = await server.GetJsonAsync(server.Admin, "/admin/sales/gate");
        Assert.True((long)stats["stats"]!["outcomes"]!["busy"]! >= 41);
    }

    /// <summary>A JSON body that sends its first byte, then waits to be released.</summary>
    private sealed class HeldContent(TaskCompletionSource started, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{"u8.ToArray());
            await stream.FlushAsync();
            started.TrySetResult();
            await release;
            await stream.WriteAsync("\"itemId\":\"phone\"}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
