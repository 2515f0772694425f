using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Outbox;

/// <summary>An admin and buyers' client of a server running as a child process.</summary>
public sealed class ProcessClient : IAsyncDisposable
{
    private readonly HttpClient _http;

    private ProcessClient(HttpClient http)
    {
        _http = http;
    }

    public static Task<ProcessClient> ConnectAsync(Uri address) =>
        Task.FromResult(new ProcessClient(
            new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) }));

    /// <summary>
    /// <see cref="ServerProcess.WaitReadyAsync"/>, asked again when one <c>/healthz</c> request times out (its client
    /// waits 5 s, which a busy shared machine can exceed while the child starts).
    /// </summary>
    public static async Task<Uri> ReadyAsync(ServerProcess process)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await process.WaitReadyAsync();
            }
            catch (TaskCanceledException) when (attempt < 4)
            {
                // Ask again.
            }
        }
    }

    public async Task CreateOpenSaleAsync(string id, int stock)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/sales")
        {
            Content = JsonContent.Create(new
            {
                id,
                name = "Sale " + id,
                startsAt = "now",
                items = new[] { new { id = "phone", name = "Phone", price = 1m, stock } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminKeyValue);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Buyers <c>u{first}</c>.. try once each, all at once; returns their wins by reservation id.</summary>
    public async Task<Dictionary<string, JsonObject>> BuyAsync(string saleId, int buyers, int first)
    {
        var minter = new BuyerTokenMinter(TestServer.TokenSecret);
        var answers = await Task.WhenAll(Enumerable.Range(first, buyers).Select(async i =>
        {
            var token = minter.Mint($"u{i}", DateTimeOffset.UtcNow.AddHours(1));
            using var response = await TestServer.Purchase(_http, saleId, token);
            if (response.StatusCode != HttpStatusCode.Created) return null;
            return await HttpAssert.Won(response, saleId, $"u{i}");
        }));
        return answers.OfType<JsonObject>().ToDictionary(r => (string)r["id"]!, r => r);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
