using System.CommandLine;
using System.Globalization;
using FlashSale.Core.Sales;
using FlashSale.Server.Auth;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Cli;

/// <summary><c>flashsale token --user NAME [--ttl 1h] [--demo]</c>: mints a buyer token with the configured secret.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "The buyer's user id (the token's sub).", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "How long the token is valid: 90s, 30m, 2h, 7d (default 1h).", DefaultValueFactory = _ => "1h" };
        var demo = new Option<bool>("--demo") { Description = "Use the demo secret." };
        var command = new Command("token", "Mint a buyer token (JWT, HS256) with FlashSale:TokenSecret, for trying and testing.") { user, ttl, demo };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var userId = parse.GetValue(user)!;
            if (string.IsNullOrEmpty(userId) || userId.Length > SaleDefinition.MaxIdLength)
            {
                Console.Error.WriteLine("flashsale token: --user must be 1-128 characters");
                return 2;
            }

            if (!TryParseDuration(parse.GetValue(ttl)!, out var lifetime))
            {
                Console.Error.WriteLine($"flashsale token: --ttl '{parse.GetValue(ttl)}' is not a duration like 90s, 30m, 2h or 7d");
                return 2;
            }

            var configuration = new ConfigurationManager();
            ServerApp.Configure(configuration, [.. parse.UnmatchedTokens], parse.GetValue(demo));
            var secret = configuration["FlashSale:TokenSecret"];
            if (string.IsNullOrEmpty(secret))
            {
                Console.Error.WriteLine("flashsale token: no FlashSale:TokenSecret configured (set FlashSale__TokenSecret, pass --FlashSale:TokenSecret=..., or use --demo)");
                return 2;
            }

            Console.WriteLine(new BuyerTokens(secret).Mint(userId, TimeProvider.System.GetUtcNow().Add(lifetime)));
            return 0;
        });
        return command;
    }

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c> or plain seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var unit = char.ToLowerInvariant(text[^1]);
        var number = char.IsAsciiDigit(unit) ? text : text[..^1];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 3650 * 86400) return false;
        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ when char.IsAsciiDigit(unit) => TimeSpan.FromSeconds(value),
            _ => TimeSpan.MinValue,
        };
        return duration > TimeSpan.Zero;
    }
}
