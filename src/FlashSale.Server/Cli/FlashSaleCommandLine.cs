using System.CommandLine;
using System.CommandLine.Invocation;

namespace FlashSale.Server.Cli;

/// <summary>
/// The <c>flashsale</c> command line: the verbs, strict parsing (an unknown option is an error on every verb), and
/// parse errors as a short message with a pointer to <c>--help</c> and exit code 2.
/// </summary>
internal static class FlashSaleCommandLine
{
    /// <summary>Exit code of every parse error and every argument a verb refuses.</summary>
    public const int BadArguments = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var (configuration, rest) = ConfigurationArguments.Split(args);
        var root = new RootCommand(
            "FlashSale: a flash-sale server that decides fairly, never oversells and answers in milliseconds.")
        {
            ServeCommand.Create(configuration),
            TokenCommand.Create(configuration),
            CrowdCommand.Create(configuration),
            RehearseCommand.Create(configuration),
            ExportCommand.Create(configuration),
        };
        var parse = root.Parse(rest);
        if (parse.Action is ParseErrorAction)
        {
            var command = parse.CommandResult.Command;
            var verb = command == root ? "flashsale" : "flashsale " + command.Name;
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync($"{verb}: {error.Message}");
            await Console.Error.WriteLineAsync($"Run '{verb} --help' for usage.");
            return BadArguments;
        }

        // No termination handling by System.CommandLine: on SIGTERM it would give the action 2 s and then return 143,
        // cutting short the host's graceful shutdown (finish in-flight requests, flush the journal, exit 0). The host
        // handles the signals.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Refuses configuration overrides on a verb that reads no configuration.</summary>
    public static int RefuseConfiguration(string verb, IReadOnlyList<string> configuration)
    {
        Console.Error.WriteLine($"flashsale {verb}: unknown option {configuration[0]} ({verb} reads no configuration)");
        Console.Error.WriteLine($"Run 'flashsale {verb} --help' for usage.");
        return BadArguments;
    }
}
