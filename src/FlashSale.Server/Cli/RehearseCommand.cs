using System.CommandLine;
using FlashSale.Server.Crowd;
using Spectre.Console;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale rehearse [--users 1000000] [--stock 10000] [--items 3] [--bots 0.1] [--report DIR]</c>: the server in
/// this process, a sale opening in a few seconds, a crowd of buyers against it, verified; the one-command tour.
/// </summary>
internal static class RehearseCommand
{
    public static Command Create()
    {
        var stock = new Option<int>("--stock") { Description = "Units on sale, over all items.", DefaultValueFactory = _ => 10_000 };
        var items = new Option<int>("--items") { Description = "Items in the sale (item-1, item-2, ...), sharing the stock.", DefaultValueFactory = _ => 3 };
        var startIn = new Option<string>("--start-in") { Description = "How soon after creation the sale opens.", DefaultValueFactory = _ => "5s" };
        var keepData = new Option<bool>("--keep-data") { Description = "Keep the temporary data directory (journals) after the run." };
        var options = new CrowdOptions();
        var command = new Command("rehearse", "Start a server in this process, open a sale in a few seconds, run a crowd of buyers against it, verify and report.")
        {
            stock, items, startIn, keepData,
        };
        options.AddTo(command, defaultUsers: 1_000_000, defaultConnections: 128, defaultBots: 0.1, defaultDuration: "9m");
        command.SetAction(async (parse, cancel) =>
        {
            var problems = new List<string>();
            if (!TokenCommand.TryParseDuration(parse.GetValue(startIn)!, out var startDelay)) problems.Add("--start-in must be a duration like 5s");
            if (!options.TryRead(parse, out var load, problems) || problems.Count > 0)
            {
                foreach (var problem in problems) await Console.Error.WriteLineAsync("flashsale rehearse: " + problem);
                return CrowdCommand.BadArguments;
            }

            var settings = new RehearsalSettings
            {
                Users = load.Users,
                Stock = parse.GetValue(stock),
                Items = parse.GetValue(items),
                Bots = load.Bots,
                Connections = load.Connections,
                Rate = load.Rate,
                Duration = load.Duration ?? TimeSpan.FromMinutes(9),
                Retries = load.Retries,
                BotClicks = load.BotClicks,
                ReportDirectory = load.ReportDirectory,
                StartIn = startDelay,
                KeepData = parse.GetValue(keepData),
            };
            if (settings.Validate() is { Count: > 0 } invalid)
            {
                foreach (var problem in invalid) await Console.Error.WriteLineAsync("flashsale rehearse: " + problem);
                return CrowdCommand.BadArguments;
            }

            try
            {
                var result = await Rehearsal.RunAsync(settings, AnsiConsole.Console, cancel);
                return CrowdCommand.Finish(result, settings.ReportDirectory);
            }
            catch (CrowdSetupException e)
            {
                await Console.Error.WriteLineAsync("flashsale rehearse: " + e.Message);
                return CrowdCommand.CannotRun;
            }
        });
        return command;
    }
}
