using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;

namespace FlashSale.Engine.Tests.Support;

/// <summary>
/// Looks inside a running engine the way the tests need to: whole shard states, and where every unit is.
/// </summary>
public static class EngineProbe
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Every shard's <c>Describe()</c>, read on the shard's own thread.</summary>
    public static async Task<string[]> DescribeAsync(FlashSaleEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var states = new string[engine.ShardCount];
        for (var i = 0; i < states.Length; i++)
            states[i] = await engine.Shard(i).Run(static w => w.State.Describe()).WaitAsync(Deadline);
        return states;
    }

    /// <summary>Every reservation of a sale, from the export.</summary>
    public static async Task<List<Reservation>> ExportAsync(FlashSaleEngine engine, string saleId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var all = new List<Reservation>();
        await foreach (var reservation in engine.ExportReservationsAsync(saleId)) all.Add(reservation);
        return all;
    }

    /// <summary>
    /// Invariant 1 as a buyer can see it: per item, units remaining plus live (held or confirmed) reservations equal
    /// the stock; and per shard the unit counters add up. Returns the live reservations per item.
    /// </summary>
    public static async Task<int[]> AssertNothingOversoldAsync(FlashSaleEngine engine, Sale sale)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(sale);
        var reservations = await ExportAsync(engine, sale.Id);
        Assert.Equal(reservations.Count, reservations.Select(r => r.Id).Distinct().Count());
        var live = new int[sale.ItemCount];
        for (var i = 0; i < sale.ItemCount; i++)
        {
            var itemId = sale.Definition.Items[i].Id;
            live[i] = reservations.Count(
                r => r.ItemId == itemId && r.Status is ReservationStatus.Held or ReservationStatus.Confirmed);
            var remaining = engine.Remaining(sale.Id, i);
            Assert.True(remaining >= 0, $"item {itemId}: negative remaining {remaining}");
            Assert.Equal(sale.Definition.Items[i].Stock, remaining + live[i]);

            var index = i;
            var netTaken = 0;
            for (var shard = 0; shard < engine.ShardCount; shard++)
            {
                var counts = await engine.Shard(shard).Run(w => w.State.CountsOf(sale.Id, index)).WaitAsync(Deadline);
                Assert.Equal(counts.NetTaken, counts.Local + counts.Held + counts.Confirmed);
                netTaken += counts.NetTaken;
            }

            Assert.Equal(sale.Definition.Items[i].Stock, engine.Catalog.Find(sale.Id)!.Items[i].Pool + netTaken);
        }

        foreach (var buyer in reservations.Where(
            r => r.Status is ReservationStatus.Held or ReservationStatus.Confirmed).GroupBy(r => r.UserId))
        {
            Assert.True(buyer.Count() <= sale.Definition.PerUserLimit,
                $"{buyer.Key} holds {buyer.Count()} live reservations");
        }

        return live;
    }
}
