using System.CommandLine;
using FlashSale.Crowd;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale rehearse [--users 1000000] [--stock 10000] [--items 3] [--bots 0.1] [--report DIR] ...</c>: the
/// server in this process (<see cref="InProcessServer"/>), a sale opening in a few seconds, a crowd of buyers against
/// it, verified (<see cref="CrowdVerbs"/>); the one-command tour.
/// </summary>
internal static class RehearseCommand
{
    public static Command Create(IReadOnlyList<string> configurationArgs)
    {
        var options = new CrowdCommandLine(CrowdSettings.ForRehearsal());
        var command = new Command(
            "rehearse",
            "Start a server in this process, open a sale in a few seconds, run a crowd of buyers against it, "
            + "verify and report. The server runs with generated secrets and a rate limit of 2/s, burst 3 per "
            + "buyer (not the server's default). "
            + "Exit codes: 0 every check passed, 1 a check failed, 2 bad arguments, 3 could not run.");
        options.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            if (configurationArgs.Count > 0)
            {
                return FlashSaleCommandLine.RefuseConfiguration("rehearse",
                configurationArgs);
            }

            var problems = new List<string>();
            var settings = options.Read(parse, problems);
            if (problems.Count > 0) return CrowdVerbs.Refuse(CrowdVerb.Rehearse, problems);
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
            return await CrowdVerbs.RehearseAsync(settings, InProcessServer.StartAsync, TimeProvider.System, cancel);
#pragma warning restore RS0030
        });
        return command;
    }
}
