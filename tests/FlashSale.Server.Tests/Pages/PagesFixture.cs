using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Auth;
using FlashSale.Server.Hosting;
using FlashSale.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashSale.Server.Tests.Pages;

/// <summary>
/// One real server started as <c>serve --demo</c> would be (demo secrets, the demo sign-in, the sample sale) on a free
/// loopback port, and one headless Chromium, shared by the pages' tests (each test makes its own sales and buyers).
/// </summary>
public sealed class PagesFixture : IAsyncLifetime
{
    private WebApplication _app = null!;
    private string _data = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public Browser Browser { get; private set; } = null!;

    public BuyerTokenMinter Tokens { get; } = new(ServerApp.DemoTokenSecret);

    public async Task InitializeAsync()
    {
        // The browser first: without Chromium every test here fails at once, with the reason.
        Browser = Browser.Start();
        _data = TempDirectory.Create("fs-pages");
        _app = ServerApp.Build(
            new ServeSettings("http://127.0.0.1:0", _data, true, []), builder => builder.Logging.ClearProviders());
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First() + "/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerApp.DemoAdminKey);
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        Client?.Dispose();
        Admin?.Dispose();
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        TempDirectory.Delete(_data);
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public string TokenFor(string user) => Tokens.Mint(user, TimeProvider.System.GetUtcNow().AddHours(1));

    public async Task<JsonObject> CreateSaleAsync(object sale)
    {
        using var response = await Admin.PostAsJsonAsync("admin/sales", sale);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status == StatusCodes.Status201Created, $"create sale: {status} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<HttpResponseMessage> PurchaseAsync(string saleId, string user, string itemId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/sales/{saleId}/purchase")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { itemId }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        return await Client.SendAsync(request);
    }

    public async Task<List<JsonObject>> ExportAsync(string saleId)
    {
        var text = await Admin.GetStringAsync($"admin/sales/{saleId}/reservations?format=jsonl");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    /// <summary>A fresh page session: no token, no admin key.</summary>
    public void ForgetSession()
    {
        Browser.Open(Url("/assets/site.css"));
        Browser.Script("sessionStorage.clear();");
    }
}
