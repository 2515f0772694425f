using System.CommandLine;
using FlashSale.Crowd;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary><c>flashsale token --user NAME [--ttl 1h] [--demo]</c>: mints a buyer token with the configured
/// secret.</summary>
internal static class TokenCommand
{
    public static Command Create(IReadOnlyList<string> configurationArgs)
    {
        var user = new Option<string>("--user")
        {
            Description = "The buyer's user id (the token's sub), 1-128 characters.",
            Required = true,
        };
        var ttl = new Option<string>("--ttl")
        {
            Description = "How long the token is valid: 90s, 30m, 2h, 7d.",
            DefaultValueFactory = _ => "1h",
        };
        var demo = new Option<bool>("--demo") { Description = "Use the demo secret." };
        var command = new Command(
            "token",
            "Mint a buyer token (JWT, HS256) with FlashSale:TokenSecret, for trying and testing. "
            + "The secret comes from the configuration chain: appsettings.json, FlashSale__TokenSecret, "
            + "--FlashSale:TokenSecret=..., or --demo.")
        {
            user, ttl, demo,
        };
        command.SetAction(parse =>
        {
            var userId = parse.GetValue(user)!;
            if (string.IsNullOrEmpty(userId) || userId.Length > BuyerTokenMinter.MaxUserIdLength)
            {
                return Refuse("--user must be 1-128 characters");
            }

            if (!Durations.TryParse(parse.GetValue(ttl), out var lifetime) || lifetime <= TimeSpan.Zero)
            {
                return Refuse($"--ttl '{parse.GetValue(ttl)}' is not a positive duration like 90s, 30m, 2h or 7d");
            }

            var configuration = new ConfigurationManager();
            ServerApp.Configure(configuration, configurationArgs, parse.GetValue(demo));
            var secret = configuration["FlashSale:TokenSecret"];
            if (string.IsNullOrEmpty(secret))
            {
                return Refuse("no FlashSale:TokenSecret configured "
                    + "(set FlashSale__TokenSecret, pass --FlashSale:TokenSecret=..., or use --demo)");
            }

            try
            {
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
                Console.WriteLine(new BuyerTokenMinter(secret).Mint(userId,
                    TimeProvider.System.GetUtcNow().Add(lifetime)));
#pragma warning restore RS0030
            }
            catch (ArgumentException e)
            {
                return Refuse($"--user cannot be put in a token: {e.Message}");
            }

            return 0;
        });
        return command;
    }

    private static int Refuse(string problem)
    {
        Console.Error.WriteLine("flashsale token: " + problem);
        return FlashSaleCommandLine.BadArguments;
    }
}
