using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using FlashSale.Server.Hosting;
using Spectre.Console;

namespace FlashSale.Server.Crowd;

/// <summary>
/// <c>flashsale rehearse</c>: the whole system in one command. Starts the real server in this process on a free
/// loopback port over a fresh temporary data directory with generated secrets, creates a sale that opens a few seconds
/// later through the admin API, runs the crowd against it and verifies the result against the export.
/// </summary>
internal static class Rehearsal
{
    public const string SaleId = "rehearsal";

    /// <summary>Per-buyer rate limit during a rehearsal: a person clicks once or twice; bots hammering get rate_limited.</summary>
    public const int PermitsPerSecond = 2, Burst = 3;

    public static async Task<CrowdResult> RunAsync(RehearsalSettings settings, IAnsiConsole console, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var problems = settings.Validate();
        if (problems.Count > 0) throw new CrowdSetupException(string.Join("; ", problems));

        var adminKey = Secret();
        var tokenSecret = Secret();
        var data = Path.Combine(Path.GetTempPath(), $"flashsale-rehearse-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        var serve = new ServeSettings("http://127.0.0.1:0", data, Demo: false,
        [
            $"--FlashSale:AdminKey={adminKey}",
            $"--FlashSale:TokenSecret={tokenSecret}",
            "--FlashSale:RateLimit:Enabled=true",
            $"--FlashSale:RateLimit:PermitsPerSecond={PermitsPerSecond}",
            $"--FlashSale:RateLimit:Burst={Burst}",
        ]);

        // The server's own information logging would tear through the live display; warnings still show.
        var app = ServerApp.Build(serve, builder => builder.Services.Configure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        }));
        try
        {
            await app.StartAsync(stop);
            var url = new Uri(app.Urls.First().TrimEnd('/') + "/");
            console.MarkupLine($"[bold]Rehearsal[/]: FlashSale server in this process at {Markup.Escape(url.ToString())}, data in {Markup.Escape(data)}, rate limit {PermitsPerSecond}/s (burst {Burst}) per buyer");
            var startsAt = await CreateSaleAsync(url, adminKey, settings, stop);
            using var runner = new CrowdRunner(
                new CrowdSettings(url, SaleId, tokenSecret)
                {
                    AdminKey = adminKey,
                    Users = settings.Users,
                    Connections = settings.Connections,
                    Rate = settings.Rate,
                    Duration = settings.Duration,
                    Retries = settings.Retries,
                    Bots = settings.Bots,
                    BotClicks = settings.BotClicks,
                    ReportDirectory = settings.ReportDirectory,
                },
                console)
            { ServerInProcess = true };
            console.MarkupLine($"  sale '{SaleId}' opens at {startsAt:HH:mm:ss} UTC");
            return await runner.RunAsync(stop);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            if (!settings.KeepData)
            {
                try
                {
                    Directory.Delete(data, recursive: true);
                }
                catch (IOException)
                {
                    // Left behind in the temporary directory; nothing depends on it.
                }
            }
        }
    }

    /// <summary>Creates the sale through the admin API, as an operator would: items item-1..item-N sharing the stock, opening soon.</summary>
    private static async Task<DateTimeOffset> CreateSaleAsync(Uri url, string adminKey, RehearsalSettings settings, CancellationToken stop)
    {
        var now = TimeProvider.System.GetUtcNow();
        var startsAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + settings.StartIn + TimeSpan.FromSeconds(1);
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", SaleId);
            json.WriteString("name", $"Rehearsal: {settings.Users:N0} buyers for {settings.Stock:N0} units");
            // The API refuses a start in the past: one due within two seconds is sent as "now", since the request
            // itself may take longer than that on a loaded machine. The server's answer says when it opens.
            if (startsAt - TimeProvider.System.GetUtcNow() < TimeSpan.FromSeconds(2)) json.WriteString("startsAt", "now");
            else json.WriteString("startsAt", startsAt);
            json.WriteNumber("perUserLimit", 1);
            json.WriteNumber("holdSeconds", 86_400);
            json.WriteStartArray("items");
            for (var i = 0; i < settings.Items; i++)
            {
                json.WriteStartObject();
                json.WriteString("id", $"item-{i + 1}");
                json.WriteString("name", $"Item {i + 1}");
                json.WriteNumber("price", 99.90m + (i * 100));
                json.WriteNumber("stock", (settings.Stock / settings.Items) + (i < settings.Stock % settings.Items ? 1 : 0));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        using var http = new HttpClient { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/sales") { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request, stop);
        if (!response.IsSuccessStatusCode)
        {
            throw new CrowdSetupException($"creating the sale answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(stop)}");
        }

        using var created = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(stop), cancellationToken: stop);
        return created.RootElement.GetProperty("startsAt").GetDateTimeOffset();
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
