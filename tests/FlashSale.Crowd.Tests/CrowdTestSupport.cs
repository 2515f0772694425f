using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using FlashSale.Server.Hosting;
using Spectre.Console;

namespace FlashSale.Crowd.Tests;

/// <summary>Shared bits of the crowd tests: secrets, a silent console, temporary directories.</summary>
internal static class CrowdTestSupport
{
    public const string AdminKey = "crowd-test-admin-key-0123456789";
    public const string TokenSecret = "crowd-test-token-secret-0123456789abcdef";

    /// <summary>
    /// The crowd's settings against <paramref name="url"/>'s sale <paramref name="saleId"/>, with the test secret.
    /// </summary>
    public static CrowdSettings Settings(Uri url, string saleId) =>
        CrowdSettings.ForCrowd() with { Url = url, SaleId = saleId, TokenSecret = TokenSecret };

    /// <summary>
    /// A console that writes to <paramref name="output"/> (or nowhere), never interactive, no colours.
    /// </summary>
    public static IAnsiConsole Console(TextWriter? output = null) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(output ?? TextWriter.Null),
    });

    public static string TempDirectory(string name) => FlashSale.Tests.Common.TempDirectory.Create($"flashsale-{name}");

    /// <summary>The real server (embedded engine) on a free loopback port over a fresh data directory.</summary>
    public static async Task<(WebApplication App, Uri Url, string Data)> StartRealServerAsync()
    {
        var data = TempDirectory("crowd-server");
        var app = ServerApp.Build(
            new ServeSettings("http://127.0.0.1:0", data, false,
                [$"--FlashSale:AdminKey={AdminKey}", $"--FlashSale:TokenSecret={TokenSecret}"]),
            builder => builder.Services.Configure<LoggerFilterOptions>(filters =>
            {
                filters.Rules.Clear();
                filters.MinLevel = LogLevel.Warning;
            }));
        await app.StartAsync();
        return (app, new Uri(app.Urls.First().TrimEnd('/') + "/"), data);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Creates a sale through the admin API.</summary>
    public static async Task CreateSaleAsync(Uri url, string saleId, DateTimeOffset startsAt, int perUserLimit,
        params (string Id, int Stock)[] items)
    {
        var json = new StringBuilder();
        // The API refuses a startsAt in the past: a sale that should already be open opens "now", and one due within
        // two seconds opens two seconds from now (on a busy machine the request could arrive after a closer start).
        var now = DateTimeOffset.UtcNow;
        var starts = startsAt <= now
            ? "now"
            : Max(startsAt, now.AddSeconds(2)).ToString("O", CultureInfo.InvariantCulture);
        json.Append($$"""{"id":"{{saleId}}","name":"Crowd test","startsAt":"{{starts}}","perUserLimit":""");
        json.Append($$"""{{perUserLimit}},"holdSeconds":3600,"items":[""");
        json.AppendJoin(',',
            items.Select(i => $$"""{"id":"{{i.Id}}","name":"{{i.Id}}","price":10,"stock":{{i.Stock}}}"""));
        json.Append("]}");
        using var http = new HttpClient { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/sales")
        {
            Content = new StringContent(json.ToString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind harms nothing.
        }
    }
}
