using System.CommandLine;
using FlashSale.Server.Cli;

var root = new RootCommand("FlashSale: a flash-sale server that decides fairly, never oversells and answers in milliseconds.")
{
    ServeCommand.Create(),
    TokenCommand.Create(),
    CrowdCommand.Create(),
    RehearseCommand.Create(),
};
// No termination handling by System.CommandLine: on SIGTERM it would give the action 2 s and then return 143, cutting
// short the host's graceful shutdown (finish in-flight requests, flush the journal, exit 0). The host handles the signals.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
