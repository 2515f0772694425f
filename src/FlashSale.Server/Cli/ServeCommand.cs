using System.CommandLine;
using FlashSale.Engine.Journal;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary><c>flashsale serve [--urls URL] [--data DIR] [--demo] [--FlashSale:Key=value ...]</c></summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => ServeSettings.DefaultUrls };
        var data = new Option<string?>("--data") { Description = "Data directory for journals and snapshots (default ./data; with --demo a fresh temporary one)." };
        var demo = new Option<bool>("--demo") { Description = "Fixed demo secrets, a sample sale opening in 30 s, and a printed walkthrough. Never for production." };
        var command = new Command("serve", "Run the FlashSale server (embedded engine).") { urls, data, demo };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancel) =>
        {
            var settings = new ServeSettings(parse.GetValue(urls)!, parse.GetValue(data), parse.GetValue(demo), [.. parse.UnmatchedTokens]);
            var unknown = settings.ConfigurationArgs.Where(a => !a.StartsWith("--", StringComparison.Ordinal) || !a.Contains(':', StringComparison.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                await Console.Error.WriteLineAsync($"flashsale serve: unknown arguments: {string.Join(' ', unknown)} (configuration overrides look like --FlashSale:AdminKey=VALUE)");
                return 2;
            }

            WebApplication app;
            try
            {
                app = ServerApp.Build(settings);
            }
            catch (ConfigurationProblemException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            catch (JournalCorruptException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 3;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"FlashSale cannot start: {e.Message}");
                return 3;
            }

            await using (app)
            {
                await app.RunAsync();
            }

            return 0;
        });
        return command;
    }
}
