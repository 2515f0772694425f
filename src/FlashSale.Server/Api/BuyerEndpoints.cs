using System.Text.Json;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;
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
        }).AddEndpointFilter(ReadLimiter.Filter);

        app.MapGet("/api/sales", (HttpContext context, ISaleStore store, TimeProvider time, ReadCache cache) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var changesAt = long.MaxValue;
            foreach (var sale in store.Sales) changesAt = Math.Min(changesAt, ReadCache.NextChange(sale, now));
            return cache.Write(context, "", () => JsonSerializer.SerializeToUtf8Bytes(ListSales(store, time),
                ServerJson.Default.ListSaleDto), changesAt);
        }).AddEndpointFilter(ReadLimiter.Filter);

        app.MapGet("/api/sales/{saleId}", async (HttpContext context, ISaleStore store, ReadCache cache,
            TimeProvider time) =>
        {
            var (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None)
            {
                await Rejections.Write(context, rejection);
                return;
            }

            await cache.Write(context, "sale:" + sale!.Id,
                () => JsonSerializer.SerializeToUtf8Bytes(sale.ToDto(store), ServerJson.Default.SaleDto),
                ReadCache.NextChange(sale, time.GetUtcNow().ToUnixTimeMilliseconds()));
        }).AddEndpointFilter(ReadLimiter.Filter);

        app.MapPost("/api/sales/{saleId}/purchase",
            (HttpContext context, PurchaseEndpoint endpoint) => endpoint.Handle(context));

        app.MapGet("/api/sales/{saleId}/waiting-room", WaitingRoomFeed.Open);
        AdmissionEndpoints.Map(app);

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

    /// <summary>Sales that are scheduled, open, or ended within the last day.</summary>
    private static List<SaleDto> ListSales(ISaleStore store, TimeProvider time)
    {
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

        return sales;
    }
}
