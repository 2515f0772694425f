using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Outbox;

/// <summary>
/// The real executable killed with SIGKILL while its webhook deliveries fail, then started again on the same data
/// directory: every win is delivered, at least once, with the same content under the same id.
/// </summary>
public sealed class WebhookCrashTests : IAsyncDisposable
{
    private readonly string _work = TempDirectory.Create("fs-webhook-crash");
    private WebhookReceiver? _receiver;

    public async ValueTask DisposeAsync()
    {
        if (_receiver is not null) await _receiver.DisposeAsync();
        TempDirectory.Delete(_work);
    }

    [Fact]
    public async Task After_kill_9_every_win_is_delivered_from_the_saved_cursor_each_under_its_one_id()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var data = Path.Combine(_work, "data");
        var settings = WebhookTests.Settings(_receiver, batchSize: 4);
        var won = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        await using (var first = ServerProcess.Serve(_work, data, settings))
        {
            var address = await ProcessClient.ReadyAsync(first);
            await using var client = await ProcessClient.ConnectAsync(address);
            await client.CreateOpenSaleAsync("crash", stock: 40);
            foreach (var (id, r) in await client.BuyAsync("crash", 10, 0)) won[id] = r;
            await Eventually.True("the first wins are delivered",
                () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)));

            // Then the receiver fails: wins pile up undelivered, and the process dies mid-retry.
            _receiver.Refusing = true;
            foreach (var (id, r) in await client.BuyAsync("crash", 10, 100)) won[id] = r;
            await Eventually.True("deliveries are being refused", () => Task.FromResult(_receiver.Refused >= 2));
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(10, _receiver.Accepted.Count);
        _receiver.Refusing = false;
        await using var second = ServerProcess.Serve(_work, data, settings);
        await using (var client = await ProcessClient.ConnectAsync(await ProcessClient.ReadyAsync(second)))
        {
            foreach (var (id, r) in await client.BuyAsync("crash", 10, 200)) won[id] = r;
        }

        await Eventually.True("every win is delivered after the restart",
            () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)), TimeSpan.FromSeconds(60));
        Assert.Equal(30, won.Count);
        Assert.Equal(won.Keys.Order(StringComparer.Ordinal), _receiver.Accepted.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, _receiver.Mismatches);
        Assert.Equal(0, _receiver.BadSignatures);
        foreach (var (id, reservation) in won) Assert.Equal(reservation.ToJsonString(), _receiver.Accepted[id]);
    }
}
