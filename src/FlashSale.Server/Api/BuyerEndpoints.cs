using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>The buyers' API besides purchase: time, sales, a buyer's reservations.</summary>
internal static class BuyerEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/api/time", (TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Json(new TimeDto(now, now.ToUnixTimeMilliseconds()), ServerJson.Default.TimeDto);
        });

        app.MapGet("/api/sales", (ISaleStore store, TimeProvider time) =>
        {
            // Scheduled, open, or ended within the last day.
            var cutoff = time.GetUtcNow().AddDays(-1);
            var sales = new List<SaleDto>();
            foreach (var sale in store.Sales)
            {
                // A sale ends at the earlier of endsAt and an operator's close: closing a long-ended sale does not
                // bring it back.
                var endsAt = sale.Definition.EndsAt;
                var endedAt = sale.ClosedAt is { } closed && (endsAt is null || closed < endsAt) ? closed : endsAt;
                if (store.PhaseOf(sale) == SalePhase.Ended && endedAt is { } ended && ended < cutoff) continue;
                sales.Add(sale.ToDto(store));
            }

            return TypedResults.Json(sales, ServerJson.Default.ListSaleDto);
        });

        app.MapGet("/api/sales/{saleId}", async (HttpContext context, ISaleStore store) =>
        {
            var (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None) await Rejections.Write(context, rejection);
            else await context.Response.WriteAsJsonAsync(sale!.ToDto(store), ServerJson.Default.SaleDto);
        });

        app.MapPost("/api/sales/{saleId}/purchase",
            (HttpContext context, PurchaseEndpoint endpoint) => endpoint.Handle(context));

        app.MapGet("/api/sales/{saleId}/waiting-room", WaitingRoomFeed.Open);

        app.MapGet("/api/sales/{saleId}/reservation", async (
            HttpContext context, ISaleStore store, BuyerAuthenticator buyers) =>
        {
            var rejection = Preamble.Buyer(context, buyers, out var userId);
            Sale? sale = null;
            if (rejection == Rejection.None) (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None)
            {
                await Rejections.Write(context, rejection);
                return;
            }

            var reservations = await store.GetReservationsAsync(sale!.Id, userId!);
            await context.Response.WriteAsJsonAsync(reservations.ConvertAll(r => r.ToDto()),
                ServerJson.Default.ListReservationDto);
        });
    }
}
