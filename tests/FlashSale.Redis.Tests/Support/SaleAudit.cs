using FlashSale.Core.Reservations;

namespace FlashSale.Redis.Tests.Support;

/// <summary>
/// What a sale's state in Redis says after a failure, against the wins the buyers were told: acknowledged wins lost
/// (no reservation with that id and buyer in Redis) and units oversold (units promised to buyers, in Redis or told,
/// beyond the stock).
/// </summary>
public sealed record SaleAudit(int Stock, int Acknowledged, int InRedis, int Remaining, int Lost, int Oversold,
    int MostPerBuyer)
{
    public static async Task<SaleAudit> TakeAsync(RedisSaleStore store, RedisProcess primary, string prefix,
        string saleId, int stock, IEnumerable<Reservation> acknowledged)
    {
        var inRedis = new Dictionary<string, Reservation>(StringComparer.Ordinal);
        await foreach (var reservation in store.ExportReservationsAsync(saleId)) inRedis[reservation.Id] = reservation;
        var told = acknowledged.ToList();
        var lost = told.Count(w => !inRedis.TryGetValue(w.Id, out var kept) || kept.UserId != w.UserId);
        var promised = told.Select(w => (w.Id, w.UserId)).Concat(inRedis.Values.Select(r => (r.Id, r.UserId)))
            .Distinct().Count();
        var remaining = int.Parse(primary.Cli("HGET", "{" + prefix + ":sale:" + saleId + "}:stock", "0").Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        var mostPerBuyer = inRedis.Count == 0 ? 0 : inRedis.Values.GroupBy(r => r.UserId).Max(g => g.Count());
        return new SaleAudit(stock, told.Count, inRedis.Count, remaining, lost, Math.Max(0, promised - stock),
            mostPerBuyer);
    }

    /// <summary>
    /// What must hold whatever failed: Redis itself never sells more than the stock, nor twice to one buyer.
    /// </summary>
    public void AssertRedisConsistent()
    {
        Assert.True(InRedis + Remaining == Stock, $"units in Redis do not add up: {this}");
        Assert.True(MostPerBuyer <= 1, $"a buyer holds more than the limit: {this}");
    }
}
