using System.CommandLine;
using FlashSale.Crowd;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale crowd --sale ID [--url URL] [--token-secret S] [--admin-key K] [--demo] [load options]</c>: simulated
/// buyers against a running server, measured and verified (<see cref="CrowdVerbs"/>). This verb only adds what comes
/// from the server's side: the configuration chain for the secrets, and <c>--demo</c>.
/// </summary>
internal static class CrowdCommand
{
    public static Command Create(IReadOnlyList<string> configurationArgs)
    {
        var options = new CrowdCommandLine(CrowdSettings.ForCrowd());
        var demo = new Option<bool>("--demo")
        {
            Description = "Use the demo secrets and sale of `flashsale serve --demo`.",
        };
        var command = new Command(
            "crowd",
            "Simulate a crowd of buyers pressing \"buy\" at a sale's start; measure, verify against the export, "
            + "report. "
            + "Exit codes: 0 every check passed, 1 a check failed, 2 bad arguments, 3 the crowd could not run.")
        {
            demo,
        };
        options.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var problems = new List<string>();
            var settings = options.Read(parse, problems);
            if (problems.Count > 0) return CrowdVerbs.Refuse(CrowdVerb.Crowd, problems);

            var isDemo = parse.GetValue(demo);
            var configuration = new ConfigurationManager();
            ServerApp.Configure(configuration, configurationArgs, isDemo);
            settings = settings with
            {
                SaleId = settings.SaleId ?? (isDemo ? Demo.SaleId : null),
                TokenSecret = NullIfEmpty(settings.TokenSecret ?? configuration["FlashSale:TokenSecret"]),
                AdminKey = NullIfEmpty(settings.AdminKey ?? configuration["FlashSale:AdminKey"]),
            };
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
            return await CrowdVerbs.CrowdAsync(settings, TimeProvider.System, cancel);
#pragma warning restore RS0030
        });
        return command;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
