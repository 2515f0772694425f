using FlashSale.Core.Purchases;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>
/// The buyers' admission calls: <c>GET /api/sales/{saleId}/challenge</c> (a proof-of-work challenge to solve) and
/// <c>POST /api/sales/{saleId}/path</c> (where to purchase: the hidden path once the sale is open, or the plain one).
/// </summary>
internal static class AdmissionEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/api/sales/{saleId}/challenge", Challenge);
        app.MapPost("/api/sales/{saleId}/path", FetchPath);
        app.MapPost("/api/sales/{saleId}/purchase/{pass}",
            (HttpContext context, PurchaseEndpoint endpoint) => endpoint.Handle(context));
    }

    private static async Task Challenge(HttpContext context, ISaleStore store, BuyerAuthenticator buyers,
        AdmissionGate gate)
    {
        var rejection = Preamble.Buyer(context, buyers, out var userId);
        Core.Sales.Sale? sale = null;
        if (rejection == Rejection.None) (rejection, sale) = await Preamble.Sale(context, store);
        if (rejection != Rejection.None)
        {
            await Rejections.Write(context, rejection);
            return;
        }

        if (await gate.AdmitChallengeFetch(context, sale!, userId!) is not null) return;
        var (challenge, difficulty, expiresAt) = gate.IssueChallenge(sale!, userId!);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new System.Text.Json.Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteBoolean("required", sale!.Admission.Challenge.Enabled);
        AdmissionGate.WriteChallenge(writer, challenge, difficulty, expiresAt);
        writer.WriteEndObject();
    }

    private static async Task FetchPath(HttpContext context, ISaleStore store, BuyerAuthenticator buyers,
        AdmissionGate gate)
    {
        var rejection = Preamble.Buyer(context, buyers, out var userId);
        Core.Sales.Sale? sale = null;
        if (rejection == Rejection.None) (rejection, sale) = await Preamble.Sale(context, store);
        if (rejection != Rejection.None)
        {
            await Rejections.Write(context, rejection);
            return;
        }

        // The path cannot be known before the start: nothing is handed out, and no challenge used, until then.
        var now = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (sale!.IsNotStarted(now))
        {
            store.CountOutcome(sale.Id, Outcome.NotStarted);
            await Problems.Write(context, 425, "Not started", "The sale has not started yet.", writer =>
            {
                writer.WriteString("outcome", "not_started");
                writer.WriteString("startsAt", sale.Definition.StartsAt);
            });
            return;
        }

        if (sale.IsEnded(now))
        {
            await Problems.WriteOutcome(context, Outcome.Ended);
            return;
        }

        if (await gate.AdmitPathFetch(context, sale, userId!) is not null) return;
        var (path, expiresAt) = gate.IssuePath(sale, userId!);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new PathDto(path, expiresAt), ServerJson.Default.PathDto);
    }
}
