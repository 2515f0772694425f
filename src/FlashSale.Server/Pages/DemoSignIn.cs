using System.Text.Json;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Api;
using FlashSale.Server.Hosting;

namespace FlashSale.Server.Pages;

/// <summary>
/// <c>POST /demo/token {"user":"alice"}</c>, mapped only with <c>--demo</c>: a buyer token for any name, valid for a
/// day, so that a newcomer can buy from the storefront at once. In production the main store issues the tokens.
/// </summary>
internal static class DemoSignIn
{
    public const int MaxUserLength = BuyerTokenMinter.MaxUserIdLength;

    // --demo always runs with the printed demo secret, so the demo sign-in mints with it.
    private static readonly BuyerTokenMinter Minter = new(ServerApp.DemoTokenSecret);

    private const int MaxBodyBytes = 4096;

    private static readonly string TooLarge = $"The body may be at most {MaxBodyBytes} bytes.";

    public static async Task Handle(HttpContext context, TimeProvider time)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "Payload too large", TooLarge);
            return;
        }

        DemoTokenBody? body;
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (limited.Length + read > MaxBodyBytes)
                {
                    await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "Payload too large", TooLarge);
                    return;
                }

                limited.Write(buffer, 0, read);
            }

            body = limited.Length == 0
                ? null
                : JsonSerializer.Deserialize(limited.ToArray(), PagesJson.Default.DemoTokenBody);
        }
        catch (JsonException)
        {
            await Problems.BadRequest(
                context, "Malformed JSON or a field of the wrong type; expected {\"user\":\"alice\"}.");
            return;
        }

        var user = body?.User?.Trim();
        if (string.IsNullOrEmpty(user) || user.Length > MaxUserLength)
        {
            await Problems.BadRequest(context, $"user is required, 1 to {MaxUserLength} characters.");
            return;
        }

        var expires = time.GetUtcNow().AddDays(1);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        var answer = new DemoTokenDto(Minter.Mint(user, expires), user, expiresAt);
        await context.Response.WriteAsJsonAsync(answer, PagesJson.Default.DemoTokenDto);
    }
}
