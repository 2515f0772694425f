using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Purchases;

public sealed class ExportTests
{
    [Fact]
    public async Task Export_lists_every_reservation_of_the_sale_once_in_decision_order()
    {
        await using var harness = new EngineHarness(4);
        var time = harness.Time;
        var engine = harness.Open();
        await engine.CreateSaleAsync(TestSales.OneItem("s", 100));
        await engine.CreateSaleAsync(TestSales.OneItem("other", 100));
        var order = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            var decision = await engine.PurchaseAsync(i % 5 == 0 ? "other" : "s", "phone", $"buyer-{i}");
            if (i % 5 != 0) order.Add(decision.Reservation!.Id);
        }

        await engine.CancelAsync(order[3]);
        await engine.ConfirmAsync(order[4]);

        var exported = await EngineProbe.ExportAsync(engine, "s");

        Assert.Equal(order, exported.Select(r => r.Id));
        Assert.Equal(ReservationStatus.Cancelled, exported[3].Status);
        Assert.Equal(ReservationStatus.Confirmed, exported[4].Status);
        Assert.Empty(await EngineProbe.ExportAsync(engine, "no-such-sale"));
    }

    [Fact]
    public async Task Export_of_thousands_of_reservations_spanning_pages_lists_each_once()
    {
        await using var harness = new EngineHarness(2);
        var time = harness.Time;
        var engine = harness.Open();
        await engine.CreateSaleAsync(TestSales.OneItem("s", 5_000));
        var won = new List<Reservation>();
        for (var wave = 0; wave < 30; wave++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var decisions = await Task.WhenAll(
                Enumerable.Range(0, 100).Select(i => engine.PurchaseAsync("s", "phone", $"w{wave}-{i}").AsTask()));
            won.AddRange(decisions.Select(d => d.Reservation!));
        }

        var exported = await EngineProbe.ExportAsync(engine, "s");

        Assert.Equal(3_000, exported.Count);
        Assert.Equal(won.Select(r => r.Id).Order(StringComparer.Ordinal),
            exported.Select(r => r.Id).Order(StringComparer.Ordinal));
        for (var i = 1; i < exported.Count; i++)
            Assert.True(exported[i - 1].CreatedAt <= exported[i].CreatedAt, $"export out of time order at {i}");
        foreach (var shard in exported.GroupBy(r => r.Id.Split('-')[0]))
        {
            var sequences = shard.Select(
                r => long.Parse(r.Id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(sequences.Order(), sequences);
            Assert.True(sequences.Count > 1024,
                $"shard {shard.Key} has only {sequences.Count} reservations: the export never crossed a page");
        }
    }
}
