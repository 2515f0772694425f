using System.CommandLine;
using FlashSale.Server.Crowd;
using FlashSale.Server.Hosting;
using Spectre.Console;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale crowd --url URL --sale ID --token-secret S [--admin-key K] [--users N] [--connections C] [--rate R | --max]
/// [--duration D] [--retries K] [--bots F] [--report DIR]</c>: simulated buyers against a running server, measured and verified.
/// </summary>
internal static class CrowdCommand
{
    /// <summary>Exit codes: 0 all checks passed, 1 a check failed, 2 bad arguments, 3 the crowd could not run.</summary>
    public const int ChecksFailed = 1, BadArguments = 2, CannotRun = 3;

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The server's base URL.", DefaultValueFactory = _ => ServeSettings.DefaultUrls };
        var sale = new Option<string?>("--sale") { Description = "The sale to buy in (with --demo: demo)." };
        var tokenSecret = new Option<string?>("--token-secret") { Description = "FlashSale:TokenSecret, to mint buyers' tokens (default: the configuration chain, FlashSale__TokenSecret)." };
        var adminKey = new Option<string?>("--admin-key") { Description = "FlashSale:AdminKey, to verify against the export (default: the configuration chain; without one, only the crowd's own checks run)." };
        var options = new CrowdOptions();
        var demo = new Option<bool>("--demo") { Description = "Use the demo secrets and sale of `flashsale serve --demo`." };
        var command = new Command("crowd", "Simulate a crowd of buyers pressing \"buy\" at a sale's start; measure, verify against the export, report.")
        {
            url, sale, tokenSecret, adminKey, demo,
        };
        options.AddTo(command, defaultUsers: 10_000, defaultConnections: 64);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancel) =>
        {
            var configuration = new ConfigurationManager();
            ServerApp.Configure(configuration, [.. parse.UnmatchedTokens], parse.GetValue(demo));
            var secret = parse.GetValue(tokenSecret) ?? configuration["FlashSale:TokenSecret"];
            var key = parse.GetValue(adminKey) ?? configuration["FlashSale:AdminKey"];
            var saleId = parse.GetValue(sale) ?? (parse.GetValue(demo) ? Demo.SaleId : null);
            var problems = new List<string>();
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl)) problems.Add("--url must be an absolute URL like http://127.0.0.1:8080");
            if (string.IsNullOrEmpty(saleId)) problems.Add("--sale is required");
            if (string.IsNullOrEmpty(secret)) problems.Add("--token-secret is required (or FlashSale__TokenSecret, or --demo)");
            if (!options.TryRead(parse, out var loop, problems) || problems.Count > 0)
            {
                foreach (var problem in problems) await Console.Error.WriteLineAsync("flashsale crowd: " + problem);
                return BadArguments;
            }

            var settings = new CrowdSettings(new Uri(baseUrl!.ToString().TrimEnd('/') + "/"), saleId!, secret!)
            {
                AdminKey = string.IsNullOrEmpty(key) ? null : key,
                Users = loop.Users,
                Connections = loop.Connections,
                Rate = loop.Rate,
                Duration = loop.Duration,
                Retries = loop.Retries,
                Bots = loop.Bots,
                BotClicks = loop.BotClicks,
                ReportDirectory = loop.ReportDirectory,
            };
            if (settings.Validate() is { Count: > 0 } invalid)
            {
                foreach (var problem in invalid) await Console.Error.WriteLineAsync("flashsale crowd: " + problem);
                return BadArguments;
            }

            try
            {
                using var runner = new CrowdRunner(settings, AnsiConsole.Console);
                var result = await runner.RunAsync(cancel);
                return Finish(result, settings.ReportDirectory);
            }
            catch (CrowdSetupException e)
            {
                await Console.Error.WriteLineAsync("flashsale crowd: " + e.Message);
                return CannotRun;
            }
        });
        return command;
    }

    /// <summary>Prints the summary and where the report is; the exit code.</summary>
    public static int Finish(CrowdResult result, string? reportDirectory)
    {
        new CrowdConsole(AnsiConsole.Console).Summary(result);
        if (reportDirectory is not null)
        {
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(Path.GetFullPath(Path.Combine(reportDirectory, CrowdReport.HtmlFile)))} (and {CrowdReport.JsonFile})");
        }

        return result.Verification.Passed ? 0 : ChecksFailed;
    }
}
