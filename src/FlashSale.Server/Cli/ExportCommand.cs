using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale export [--follow] [--url URL] [--admin-key KEY] [--after CURSOR] [--cursor-file FILE]</c>: prints the
/// won reservations of a running server's outbox (<c>GET /admin/outbox</c>) as JSON lines, each with the cursor that
/// resumes after it; with <c>--follow</c>, keeps printing new wins until interrupted, reconnecting when the server
/// goes away.
/// </summary>
internal static class ExportCommand
{
    private const int Failed = 1;

    public static Command Create(IReadOnlyList<string> configurationArgs)
    {
        var url = new Option<string>("--url")
        {
            Description = "The server's base URL.",
            DefaultValueFactory = _ => ServeSettings.DefaultUrls,
        };
        var adminKey = new Option<string?>("--admin-key")
        {
            Description = "The admin key (default: FlashSale:AdminKey from the configuration chain).",
        };
        var after = new Option<string?>("--after") { Description = "Start after this cursor (a line's \"cursor\")." };
        var cursorFile = new Option<string?>("--cursor-file")
        {
            Description = "Resume after the cursor in this file, and keep it updated after every line printed.",
        };
        var follow = new Option<bool>("--follow") { Description = "Keep printing new wins until interrupted." };
        var demo = new Option<bool>("--demo") { Description = "Use the demo admin key." };
        var command = new Command(
            "export",
            "Print won reservations from a server's outbox as JSON lines (each with a \"cursor\" to resume after it).")
        {
            url, adminKey, after, cursorFile, follow, demo,
        };
        command.SetAction(async (parse, cancel) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl)
                || baseUrl.Scheme is not ("http" or "https"))
            {
                return Refuse($"--url '{parse.GetValue(url)}' is not an http or https URL");
            }

            var key = parse.GetValue(adminKey);
            if (string.IsNullOrEmpty(key))
            {
                var configuration = new ConfigurationManager();
                ServerApp.Configure(configuration, configurationArgs, parse.GetValue(demo));
                key = configuration["FlashSale:AdminKey"];
            }

            if (string.IsNullOrEmpty(key))
            {
                return Refuse("no admin key (pass --admin-key, set FlashSale__AdminKey, or use --demo)");
            }

            var file = parse.GetValue(cursorFile);
            var cursor = parse.GetValue(after);
            if (cursor is null && file is not null && File.Exists(file))
            {
                cursor = (await File.ReadAllTextAsync(file, cancel)).Trim();
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            return await RunAsync(baseUrl, key, cursor, file, parse.GetValue(follow), stop.Token);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(Uri baseUrl, string key, string? cursor, string? file, bool follow,
        CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var stdout = Console.Out;
        var retry = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                var path = "admin/outbox?follow=" + (follow ? "true" : "false")
                    + (string.IsNullOrEmpty(cursor) ? "" : "&after=" + Uri.EscapeDataString(cursor));
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return Refuse("the server refused the admin key (401)");
                }

                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    return Refuse("the server refused the cursor: " + await response.Content.ReadAsStringAsync(stop));
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"the server answered {(int)response.StatusCode}");
                }

                retry = TimeSpan.FromMilliseconds(500);
                await using var body = await response.Content.ReadAsStreamAsync(stop);
                using var reader = new StreamReader(body, Encoding.UTF8);
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    if (line.Length == 0) continue;
                    await stdout.WriteLineAsync(line);
                    await stdout.FlushAsync(stop);
                    cursor = CursorOf(line) ?? cursor;
                    if (file is not null && cursor is not null) await SaveAsync(file, cursor);
                }

                if (!follow) return 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                if (!follow)
                {
                    await Console.Error.WriteLineAsync($"flashsale export: {baseUrl} cannot be read: {e.Message}");
                    return Failed;
                }

                await Console.Error.WriteLineAsync(
                    $"flashsale export: {e.Message}; reconnecting in {retry.TotalSeconds:0.#} s");
            }

            try
            {
                await Task.Delay(retry, stop);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private static string? CursorOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("cursor", out var cursor) ? cursor.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Replaces the cursor file atomically (a crash leaves the old cursor or the new one).</summary>
    private static async Task SaveAsync(string file, string cursor)
    {
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, cursor + "\n");
        File.Move(temporary, file, overwrite: true);
    }

    private static int Refuse(string problem)
    {
        Console.Error.WriteLine("flashsale export: " + problem);
        return FlashSaleCommandLine.BadArguments;
    }
}
