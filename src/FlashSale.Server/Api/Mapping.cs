using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;

namespace FlashSale.Server.Api;

/// <summary>Domain values to API shapes.</summary>
internal static class Mapping
{
    public static string Word(this SalePhase phase) => phase switch
    {
        SalePhase.Scheduled => "scheduled",
        SalePhase.Open => "open",
        SalePhase.SoldOut => "sold_out",
        _ => "ended",
    };

    public static string Word(this ReservationStatus status) => status switch
    {
        ReservationStatus.Held => "held",
        ReservationStatus.Confirmed => "confirmed",
        ReservationStatus.Cancelled => "cancelled",
        _ => "expired",
    };

    public static ReservationDto ToDto(this Reservation r) =>
        new(r.Id, r.SaleId, r.ItemId, r.UserId, r.Quantity, r.CreatedAt, r.HoldUntil, r.Status.Word());

    public static SaleDto ToDto(this Sale sale, ISaleStore store)
    {
        var d = sale.Definition;
        return new SaleDto(d.Id, d.Name, d.StartsAt, d.EndsAt, store.PhaseOf(sale).Word(), d.PerUserLimit,
            d.HoldSeconds, Items(sale, store));
    }

    public static async ValueTask<AdminSaleDto> ToAdminDto(this Sale sale, ISaleStore store)
    {
        var d = sale.Definition;
        var stats = await store.GetStatsAsync(sale.Id)
            ?? new SaleStatistics(0, 0, null, new Dictionary<string, long>(StringComparer.Ordinal));
        return new AdminSaleDto(
            d.Id, d.Name, d.StartsAt, d.EndsAt, store.PhaseOf(sale).Word(), d.PerUserLimit, d.HoldSeconds,
            Items(sale, store), d.EligibleUsers?.Count, sale.ClosedAt,
            new StatsDto(stats.Attempts, stats.Won, stats.SoldOutAt, stats.Outcomes),
            d.WaitingRoom is { } room
                ? new WaitingRoomBody(room.PreQueueSeconds, room.AdmitPerSecond, room.GrantSeconds, room.Seed)
                : null);
    }

    private static List<ItemDto> Items(Sale sale, ISaleStore store)
    {
        var items = new List<ItemDto>(sale.ItemCount);
        for (var i = 0; i < sale.ItemCount; i++)
        {
            var item = sale.Definition.Items[i];
            items.Add(new ItemDto(item.Id, item.Name, item.Price, item.Stock, store.Remaining(sale.Id, i)));
        }

        return items;
    }
}
