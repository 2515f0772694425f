using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using FlashSale.Engine.Journal;
using FlashSale.Server.Hosting;
using Microsoft.AspNetCore.Connections;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale serve [--urls URL] [--data DIR] [--redis CONFIG] [--demo] [--FlashSale:Key=value ...]</c>. Every
/// start-up failure is one line on stderr and an exit code: 2 for what the command line or configuration must fix
/// (settings, an address in use, a Redis that cannot be reached or a cluster with slots not served), 3 for the data
/// directory (unusable, or a damaged journal).
/// </summary>
internal static class ServeCommand
{
    /// <summary>Exit code: the configuration or the command line must change (missing secret, address in use,
    /// Redis unreachable, ...).</summary>
    public const int BadConfiguration = 2;

    /// <summary>Exit code: the data directory cannot be used or its journal is damaged.</summary>
    public const int DataProblem = 3;

    private const string Description = """
        Run the FlashSale server: the embedded engine (default), or with --redis a stateless gateway over Redis
        (cluster mode: run any number of gateways on one Redis deployment behind a load balancer).

        Two settings are required (--demo fills both with published demo values, never for production):
          FlashSale:AdminKey      bearer key for /admin/*, at least 16 characters
          FlashSale:TokenSecret   HMAC secret of buyers' HS256 tokens, shared with the main store, at least 32 bytes
        Pass them, or any other setting, by the .NET configuration chain (later wins):
          appsettings.json        {"FlashSale": {"AdminKey": "...", "TokenSecret": "..."}} beside the program or here
          environment             FlashSale__AdminKey=... FlashSale__TokenSecret=...
          command line            --FlashSale:AdminKey=... --FlashSale:TokenSecret=...
        Cluster mode: --redis "<StackExchange.Redis configuration string>", or FlashSale:Redis:Configuration
        (environment FlashSale__Redis__Configuration).
        """;

    public static Command Create(IReadOnlyList<string> configuration)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => ServeSettings.DefaultUrls,
        };
        var data = new Option<string?>("--data")
        {
            Description = "Data directory for journals and snapshots "
                + "(default ./data; with --demo a fresh temporary one, removed on stop).",
        };
        var demo = new Option<bool>("--demo")
        {
            Description = "Fixed demo secrets, a sample sale opening in 30 s, and a printed walkthrough. "
                + "Never for production.",
        };
        var redis = new Option<string?>("--redis")
        {
            Description = "Cluster mode: a stateless gateway on this Redis (a StackExchange.Redis configuration "
                + "string, e.g. \"127.0.0.1:6379\" or a cluster's \"10.0.0.5:7000,10.0.0.6:7000\"); "
                + "over FlashSale:Redis:Configuration.",
        };
        var command = new Command("serve", Description) { urls, data, redis, demo };
        command.SetAction(async (parse, cancel) =>
        {
            var isDemo = parse.GetValue(demo);
            var dataDirectory = parse.GetValue(data);
            var temporary = isDemo && dataDirectory is null;
            if (temporary)
            {
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
                dataDirectory = Path.Combine(
                    Path.GetTempPath(),
                    $"flashsale-demo-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}");
#pragma warning restore RS0030
            }

            var settings = new ServeSettings(parse.GetValue(urls)!, dataDirectory, isDemo, configuration)
            {
                TemporaryData = temporary,
                Redis = parse.GetValue(redis),
            };
            try
            {
                return await RunAsync(settings);
            }
            finally
            {
                if (temporary) DeleteTemporary(dataDirectory!);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(ServeSettings settings)
    {
        // An address in use is the commonest start-up failure (a second `serve --demo`): find it before the engine
        // opens, so that the one line saying so is all that is printed. Kestrel's own bind below still catches a race.
        if (AddressInUse(settings.Urls) is { } busy)
        {
            await Console.Error.WriteLineAsync($"flashsale serve: {ListenFailure(busy, settings.Urls)}");
            return BadConfiguration;
        }

        WebApplication app;
        try
        {
            app = ServerApp.Build(settings);
        }
        catch (ConfigurationProblemException e)
        {
            foreach (var problem in e.Problems) await Console.Error.WriteLineAsync($"flashsale serve: {problem}");
            return BadConfiguration;
        }
        catch (JournalCorruptException e)
        {
            await Console.Error.WriteLineAsync($"flashsale serve: {e.Message}");
            return DataProblem;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"flashsale serve: cannot use the data directory: {e.Message}");
            return DataProblem;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync();
            }
            catch (Exception e) when (ListenFailure(e, settings.Urls) is { } message)
            {
                await Console.Error.WriteLineAsync($"flashsale serve: {message}");
                return BadConfiguration;
            }

            await app.WaitForShutdownAsync();
        }

        return 0;
    }

    /// <summary>
    /// Binds each explicit IP address and port of <paramref name="urls"/> for a moment; returns the failure of the
    /// first that is already taken, or null. Host names, wildcards and port 0 are left to Kestrel.
    /// </summary>
    private static AddressInUseException? AddressInUse(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port <= 0
                || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
            {
                continue;
            }

            var listener = new TcpListener(address, uri.Port);
            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return new AddressInUseException(e.Message, e);
            }
            catch (SocketException)
            {
                // Anything else (an address this machine does not have, say) is Kestrel's to report.
            }
            finally
            {
                listener.Stop();
            }
        }

        return null;
    }

    /// <summary>The one line for a failure to listen, or null when <paramref name="e"/> is not one.</summary>
    private static string? ListenFailure(Exception e, string urls)
    {
        if (e is AddressInUseException || e.InnerException is AddressInUseException)
        {
            return $"cannot listen on {urls}: the address is already in use (another flashsale?). "
                + "Stop the other process, or choose another address with --urls, e.g. --urls http://127.0.0.1:8081";
        }

        if (e is IOException or SocketException || e.InnerException is SocketException)
        {
            return $"cannot listen on {urls}: {(e.InnerException ?? e).Message}. Choose another address with --urls";
        }

        var badUrl = e.Message.Contains("url", StringComparison.OrdinalIgnoreCase);
        if (e is InvalidOperationException or FormatException or UriFormatException && badUrl)
        {
            return $"--urls '{urls}' is not an address to listen on ({e.Message}); e.g. --urls http://127.0.0.1:8080";
        }

        return null;
    }

    private static void DeleteTemporary(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(
                $"flashsale serve: could not remove the temporary data directory {directory}: {e.Message}");
        }
    }
}
