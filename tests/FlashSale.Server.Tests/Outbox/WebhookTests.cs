using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Outbox;

/// <summary>Webhook delivery of won reservations from the embedded engine, to a real receiver on loopback.</summary>
public sealed class WebhookTests : IAsyncDisposable
{
    private readonly string _data = TempDirectory.Create("fs-webhook");
    private WebhookReceiver? _receiver;

    public async ValueTask DisposeAsync()
    {
        if (_receiver is not null) await _receiver.DisposeAsync();
        TempDirectory.Delete(_data);
    }

    /// <summary>The settings of a fast delivery to <paramref name="receiver"/>.</summary>
    public static string[] Settings(WebhookReceiver receiver, int batchSize) =>
    [
        $"--FlashSale:Webhook:Url={receiver.Url}",
        $"--FlashSale:Webhook:Secret={WebhookReceiver.Secret}",
        $"--FlashSale:Webhook:BatchSize={batchSize}",
        "--FlashSale:Webhook:MaxDelay=00:00:00.050",
        "--FlashSale:Webhook:MinBackoff=00:00:00.020",
        "--FlashSale:Webhook:MaxBackoff=00:00:00.200",
    ];

    [Fact]
    public async Task Every_win_is_delivered_signed_once_each_in_batches_after_the_receiver_recovers()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _receiver.FailNext = 3;
        await using var server = await TestServer.StartOnAsync(_data, Settings(_receiver, batchSize: 7));
        await server.CreateOpenSaleAsync("hooked", stock: 30);
        var won = await BuyAsync(server, "hooked", 40);
        Assert.Equal(30, won.Count);

        await Eventually.True("every win reaches the receiver",
            () => Task.FromResult(won.Keys.All(_receiver.Accepted.ContainsKey)));
        Assert.Equal(30, _receiver.Accepted.Count);
        Assert.Equal(0, _receiver.Duplicates);
        Assert.Equal(0, _receiver.BadSignatures);
        Assert.Equal(3, _receiver.Refused);
        Assert.InRange(_receiver.LargestBatch, 1, 7);
        foreach (var (id, reservation) in won)
        {
            Assert.Equal(reservation.ToJsonString(), _receiver.Accepted[id]);
        }

        await Eventually.True("the metrics show the deliveries", async () =>
        {
            var metrics = await server.Client.GetStringAsync("/metrics");
            return Metric(metrics, "flashsale_webhook_delivered_total") == 30
                && Metric(metrics, "flashsale_webhook_failures_total") == 3
                && Metric(metrics, "flashsale_webhook_lag_seconds") == 0
                && Metric(metrics, "flashsale_webhook_active") == 1;
        });
        Assert.True(File.Exists(Path.Combine(_data, "outbox", "webhook.cursor")));
    }

    [Fact]
    public async Task After_a_clean_restart_delivery_resumes_from_the_saved_cursor_without_repeats()
    {
        _receiver = await WebhookReceiver.StartAsync();
        Dictionary<string, JsonObject> before;
        await using (var server = await TestServer.StartOnAsync(_data, Settings(_receiver, batchSize: 5)))
        {
            await server.CreateOpenSaleAsync("resumed", stock: 20);
            before = await BuyAsync(server, "resumed", 8);
            await Eventually.True("the first wins are delivered",
                () => Task.FromResult(before.Keys.All(_receiver.Accepted.ContainsKey)));
            await server.StopAsync();
        }

        await using var restarted = await TestServer.StartOnAsync(_data, Settings(_receiver, batchSize: 5));
        var after = await BuyAsync(restarted, "resumed", 8, firstUser: 100);
        await Eventually.True("the later wins are delivered",
            () => Task.FromResult(after.Keys.All(_receiver.Accepted.ContainsKey)));
        Assert.Equal(16, _receiver.Accepted.Count);
        Assert.Equal(0, _receiver.Duplicates);
    }

    [Fact]
    public async Task Webhook_settings_that_cannot_work_stop_the_start_with_a_clear_message()
    {
        var problem = await Assert.ThrowsAsync<FlashSale.Server.Hosting.ConfigurationProblemException>(() =>
            TestServer.StartOnAsync(_data, "--FlashSale:Webhook:Url=ftp://store.example/hook",
                "--FlashSale:Webhook:Secret=short"));
        Assert.Contains("FlashSale:Webhook:Url must be an absolute http or https URL", problem.Message,
            StringComparison.Ordinal);
        Assert.Contains("FlashSale:Webhook:Secret must be at least 32 bytes", problem.Message,
            StringComparison.Ordinal);
    }

    /// <summary>
    /// Buyers <c>u{firstUser}</c>.. try once each, all at once; returns the wins by reservation id, as the buyers saw
    /// them.
    /// </summary>
    public static async Task<Dictionary<string, JsonObject>> BuyAsync(TestServer server, string saleId, int buyers,
        int firstUser = 0)
    {
        var answers = await Task.WhenAll(Enumerable.Range(firstUser, buyers).Select(async i =>
        {
            using var response = await server.PurchaseAsync(saleId, server.TokenFor($"u{i}"));
            if (response.StatusCode != HttpStatusCode.Created) return null;
            return (await HttpAssert.Won(response, saleId, $"u{i}"));
        }));
        return answers.OfType<JsonObject>().ToDictionary(r => (string)r["id"]!, r => r);
    }

    /// <summary>The value of an unlabelled metric in Prometheus text, or -1 when absent.</summary>
    public static double Metric(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
