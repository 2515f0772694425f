using System.CommandLine;
using FlashSale.Server.Cli;

var root = new RootCommand("FlashSale: a flash-sale server that decides fairly, never oversells and answers in milliseconds.")
{
    ServeCommand.Create(),
    TokenCommand.Create(),
    CrowdCommand.Create(),
    RehearseCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
