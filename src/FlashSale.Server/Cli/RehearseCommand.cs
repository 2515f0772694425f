using System.CommandLine;
using FlashSale.Crowd;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary>
/// <c>flashsale rehearse [--users 1000000] [--stock 10000] [--items 3] [--bots 0.1] [--report DIR] ...
/// [--redis CONFIG [--gateways N]]</c>: the server in this process (<see cref="InProcessServer"/>), or N gateway
/// processes over Redis (<see cref="GatewayProcesses"/>), a sale opening in a few seconds, a crowd of buyers against
/// it, verified (<see cref="CrowdVerbs"/>); the one-command tour.
/// </summary>
internal static class RehearseCommand
{
    /// <summary>Gateways <c>--redis</c> starts when <c>--gateways</c> is not given.</summary>
    public const int DefaultGateways = 2;

    public static Command Create(IReadOnlyList<string> configurationArgs)
    {
        var options = new CrowdCommandLine(CrowdSettings.ForRehearsal());
        var redis = new Option<string?>("--redis")
        {
            Description = "Cluster mode: start --gateways gateway processes (flashsale serve --redis) over this "
                + "Redis (a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379 or the nodes of a "
                + "cluster) and spread the crowd over them, instead of one server in this process.",
        };
        var gateways = new Option<int?>("--gateways")
        {
            Description = $"With --redis: how many gateway processes (1-{GatewayProcesses.MaxGateways}; "
                + $"default {DefaultGateways}).",
        };
        var command = new Command(
            "rehearse",
            "Start a server in this process (or, with --redis, gateway processes over Redis), open a sale in a few "
            + "seconds, run a crowd of buyers against it, verify and report. The server runs with generated secrets "
            + "and a rate limit of 2/s, burst 3 per buyer (not the server's default). "
            + "Exit codes: 0 every check passed, 1 a check failed, 2 bad arguments, 3 could not run.");
        options.AddTo(command);
        command.Options.Add(redis);
        command.Options.Add(gateways);
        command.SetAction(async (parse, cancel) =>
        {
            if (configurationArgs.Count > 0)
            {
                return FlashSaleCommandLine.RefuseConfiguration("rehearse",
                configurationArgs);
            }

            var problems = new List<string>();
            var settings = options.Read(parse, problems);
            var redisConfiguration = parse.GetValue(redis);
            var gatewayCount = parse.GetValue(gateways);
            if (redisConfiguration is not null && string.IsNullOrWhiteSpace(redisConfiguration))
            {
                problems.Add("--redis needs a configuration string, e.g. --redis 127.0.0.1:6379");
            }

            if (redisConfiguration is null && gatewayCount is not null)
            {
                problems.Add("--gateways needs --redis: gateways share their state through Redis");
            }

            if (gatewayCount is < 1 or > GatewayProcesses.MaxGateways)
            {
                problems.Add($"--gateways must be 1-{GatewayProcesses.MaxGateways}");
            }

            if (redisConfiguration is not null && settings.KeepData)
            {
                problems.Add("--keep-data keeps the data directory of the server in this process; with --redis the "
                    + "data is in Redis");
            }

            if (problems.Count > 0) return CrowdVerbs.Refuse(CrowdVerb.Rehearse, problems);
            var startServer = redisConfiguration is null
                ? InProcessServer.StartAsync
                : GatewayProcesses.Starter(redisConfiguration, gatewayCount ?? DefaultGateways);
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
            return await CrowdVerbs.RehearseAsync(settings, startServer, TimeProvider.System, cancel);
#pragma warning restore RS0030
        });
        return command;
    }
}
