using System.Text.Json.Nodes;
using FlashSale.Redis.Tests.Support;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Outbox;

/// <summary>
/// Webhook delivery in cluster mode: gateways on one real <c>redis-server</c>, the cursor in Redis, one gateway at a
/// time delivering under a lease.
/// </summary>
public sealed class GatewayWebhookTests : IAsyncLifetime
{
    private readonly string _work = TempDirectory.Create("fs-gateway-webhook");
    private RedisProcess _redis = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _redis = RedisProcess.Start();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _redis.Dispose();
        TempDirectory.Delete(_work);
    }

    [Fact]
    public async Task Two_gateways_deliver_every_win_once_through_one_holder_and_the_other_takes_over_on_stop()
    {
        // The default lease (5 s): a shorter one can lapse under a loaded machine's stalls, and a lease that changes
        // hands may send a batch twice (at least once), which this test would count.
        string[] settings = [.. WebhookTests.Settings(_receiver, batchSize: 4), "--FlashSale:RateLimit:Enabled=false"];
        await using var a = await TestServer.StartGatewayAsync(_redis.EndPoint, settings);
        var b = await TestServer.StartGatewayAsync(_redis.EndPoint, settings);
        try
        {
            await a.CreateOpenSaleAsync("spread", stock: 40);
            var won = await WebhookTests.BuyAsync(a, "spread", 10);
            foreach (var (id, r) in await WebhookTests.BuyAsync(b, "spread", 10, firstUser: 50)) won[id] = r;
            await Eventually.True("every win over both gateways is delivered",
                () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)));
            var active = await ActiveAsync(a) + await ActiveAsync(b);
            Assert.Equal(1, active);
            Assert.Equal(0, _receiver.Duplicates);

            // The holder stops (giving the lease up); the other resumes from the cursor in Redis.
            var (holder, other) = await ActiveAsync(a) == 1 ? (a, b) : (b, a);
            await holder.StopAsync();
            foreach (var (id, r) in await WebhookTests.BuyAsync(other, "spread", 10, firstUser: 100)) won[id] = r;
            await Eventually.True("the other gateway delivers the later wins",
                () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)));
            Assert.Equal(30, won.Count);
            Assert.Equal(30, _receiver.Accepted.Count);
            Assert.Equal(0, _receiver.Mismatches);
            Assert.Equal(0, _receiver.BadSignatures);
            foreach (var (id, reservation) in won) Assert.Equal(reservation.ToJsonString(), _receiver.Accepted[id]);
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_kill_9_of_the_delivering_gateway_another_delivers_every_win_once_its_lease_lapses()
    {
        var won = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        await using (var first = ServerProcess.Serve(_work, Path.Combine(_work, "unused"),
            [$"--FlashSale:Redis:Configuration={_redis.EndPoint},connectTimeout=30000", .. Settings()]))
        {
            await using var client = await ProcessClient.ConnectAsync(await ProcessClient.ReadyAsync(first));
            await client.CreateOpenSaleAsync("killed", stock: 40);
            foreach (var (id, r) in await client.BuyAsync("killed", 10, 0)) won[id] = r;
            await Eventually.True("the first wins are delivered",
                () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)));
            _receiver.Refusing = true;
            foreach (var (id, r) in await client.BuyAsync("killed", 10, 100)) won[id] = r;
            await Eventually.True("deliveries are being refused", () => Task.FromResult(_receiver.Refused >= 2));
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(10, _receiver.Accepted.Count);
        _receiver.Refusing = false;
        await using var second = await TestServer.StartGatewayAsync(_redis.EndPoint, Settings());
        foreach (var (id, r) in await WebhookTests.BuyAsync(second, "killed", 10, firstUser: 200)) won[id] = r;
        await Eventually.True("every win is delivered by the gateway that took over",
            () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)));
        Assert.Equal(30, won.Count);
        Assert.Equal(won.Keys.Order(StringComparer.Ordinal), _receiver.Accepted.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, _receiver.Mismatches);
        foreach (var (id, reservation) in won) Assert.Equal(reservation.ToJsonString(), _receiver.Accepted[id]);
    }

    /// <summary>A short lease, so that a gateway takes over soon after the holder is killed.</summary>
    private string[] Settings() =>
        [.. WebhookTests.Settings(_receiver, batchSize: 4), "--FlashSale:Redis:LeaseDuration=00:00:01"];

    private static async Task<double> ActiveAsync(TestServer server) =>
        WebhookTests.Metric(await server.Client.GetStringAsync("/metrics"), "flashsale_webhook_active");
}
