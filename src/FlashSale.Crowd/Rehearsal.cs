using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Spectre.Console;

namespace FlashSale.Crowd;

/// <summary>
/// <c>flashsale rehearse</c>: the whole system in one command. Asks the host for a real server on a free loopback port
/// over a fresh temporary data directory with generated secrets, creates a sale that opens a few seconds later through
/// the admin API, runs the crowd against it and verifies the result against the export.
/// </summary>
internal static class Rehearsal
{
    public const string SaleId = "rehearsal";

    /// <summary>
    /// Per-buyer rate limit during a rehearsal: a person clicks once or twice; bots hammering get rate_limited. Not the
    /// server's default, so the summary and the report say which limit the figures were measured under.
    /// </summary>
    public static readonly RateLimit RateLimit = new(PermitsPerSecond: 2, Burst: 3);

    public static async Task<CrowdResult> RunAsync(
        CrowdSettings settings, Func<RehearsalServerSettings, CancellationToken, Task<IRehearsalServer>> startServer,
        IAnsiConsole console, TimeProvider time, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(startServer);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(time);
        var adminKey = Secret();
        var tokenSecret = Secret();
        var data = Path.Combine(
            Path.GetTempPath(),
            $"flashsale-rehearse-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Secret()[..6]}");
        var server = await startServer(
            new RehearsalServerSettings(adminKey, tokenSecret, RateLimit, data, settings.KeepData), stop);
        try
        {
            var url = server.Url;
            console.MarkupLine($"[bold]Rehearsal[/]: {Markup.Escape(server.Description)}");
            console.MarkupLine(
                $"  rate limit {RateLimit.PermitsPerSecond}/s, burst {RateLimit.Burst} per buyer: the rehearsal's own, "
                + "stricter than the server's default, so that bots meet it");
            if (!server.InProcess && settings.Admission)
            {
                // Cluster mode has no waiting room yet (docs/API.md): a rehearsal over gateways runs without one.
                console.MarkupLine("  admission: none (the waiting room is not available in cluster mode yet)");
                settings = settings with { Admission = false };
            }

            var startsAt = await CreateSaleAsync(url, adminKey, settings, time, stop);
            using var runner = new CrowdRunner(
                settings with
                {
                    Url = url,
                    SaleId = SaleId,
                    TokenSecret = tokenSecret,
                    AdminKey = adminKey,
                    ServerRateLimit = RateLimit,
                    Gateways = server.Gateways.Count > 1 ? server.Gateways : [],
                },
                console,
                time)
            { ServerInProcess = server.InProcess };
            console.MarkupLine($"  sale '{SaleId}' opens at {startsAt:HH:mm:ss} UTC; admission: "
                + (settings.Admission
                    ? $"waiting room, {settings.AdmitRate:N0} admitted/s (--no-admission for none)"
                    : "none (--no-admission)"));
            return await runner.RunAsync(stop);
        }
        finally
        {
            await server.DisposeAsync();
            if (!settings.KeepData)
            {
                try
                {
                    if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
                }
                catch (IOException)
                {
                    // Left behind in the temporary directory; nothing depends on it.
                }
            }
        }
    }

    /// <summary>Creates the sale through the admin API, as an operator would: items item-1..item-N sharing the stock,
    /// opening soon.</summary>
    private static async Task<DateTimeOffset> CreateSaleAsync(
        Uri url, string adminKey, CrowdSettings settings, TimeProvider time, CancellationToken stop)
    {
        try
        {
            return await CreateSaleAsync(url, adminKey, settings, time, now: false, stop);
        }
        catch (StartInThePastException)
        {
            // The request took longer than the start was ahead (a loaded machine): open it at once instead.
            return await CreateSaleAsync(url, adminKey, settings, time, now: true, stop);
        }
    }

    private static async Task<DateTimeOffset> CreateSaleAsync(
        Uri url, string adminKey, CrowdSettings settings, TimeProvider time, bool now, CancellationToken stop)
    {
        var clock = time.GetUtcNow();
        var startsAt = new DateTimeOffset(clock.Ticks - (clock.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero)
            + settings.StartIn + TimeSpan.FromSeconds(1);
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", SaleId);
            json.WriteString("name", $"Rehearsal: {settings.Users:N0} buyers for {settings.Stock:N0} units");
            // The API refuses a start in the past: one due within two seconds is sent as "now", since the request
            // itself may take longer than that on a loaded machine. The server's answer says when it opens.
            if (now || startsAt - time.GetUtcNow() < TimeSpan.FromSeconds(2)) json.WriteString("startsAt", "now");
            else json.WriteString("startsAt", startsAt);
            json.WriteNumber("perUserLimit", 1);
            json.WriteNumber("holdSeconds", 86_400);
            if (settings.Admission)
            {
                // The recommended sale-day admission: a waiting room whose pre-queue opens with the page.
                json.WriteStartObject("waitingRoom");
                json.WriteNumber("preQueueSeconds", Math.Max(1, (int)Math.Ceiling(settings.StartIn.TotalSeconds)));
                json.WriteNumber("admitPerSecond", settings.AdmitRate);
                json.WriteEndObject();
            }

            json.WriteStartArray("items");
            for (var i = 0; i < settings.Items; i++)
            {
                json.WriteStartObject();
                json.WriteString("id", $"item-{i + 1}");
                json.WriteString("name", $"Item {i + 1}");
                json.WriteNumber("price", 99.90m + (i * 100));
                var extra = i < settings.Stock % settings.Items ? 1 : 0;
                json.WriteNumber("stock", (settings.Stock / settings.Items) + extra);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        using var http = new HttpClient { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/sales")
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request, stop);
        if (!response.IsSuccessStatusCode)
        {
            var answer = await response.Content.ReadAsStringAsync(stop);
            if (!now && (int)response.StatusCode == 400 && answer.Contains("in the past", StringComparison.Ordinal))
            {
                throw new StartInThePastException();
            }

            throw new CrowdSetupException($"creating the sale answered {(int)response.StatusCode}: {answer}");
        }

        using var created = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(stop), cancellationToken: stop);
        return created.RootElement.GetProperty("startsAt").GetDateTimeOffset();
    }

    private static string Secret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
