using System.Collections.Concurrent;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Purchases;

public sealed class MixedLoadTests
{
    [Fact]
    public async Task Concurrent_purchases_cancels_confirms_and_expiries_lose_no_unit_and_settle_true_sold_out_flags()
    {
        await using var harness = new EngineHarness(8, static o =>
        {
            o.MaxChunk = 3;
            o.ExpiryInterval = TimeSpan.FromSeconds(1);
        }, "fs-mixed");
        var time = harness.Time;
        var engine = harness.Open();
        var sale = await harness.CreateSaleAsync(TestSales.Items("m", 2, 10, ("big", 60), ("small", 6), ("one", 1)));
        var lastEvent = new ConcurrentDictionary<string, (long Order, bool SoldOut)>();
        long order = 0;
        engine.AvailabilityChanged += a => lastEvent[a.ItemId] = (Interlocked.Increment(ref order), a.SoldOut);

        var threads = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            string[] items = ["big", "small", "one"];
            for (var i = 0; i < 1_500; i++)
            {
                var decision = await engine.PurchaseAsync("m", items[random.Next(3)], $"u{random.Next(200)}",
                    random.Next(2) == 0 ? null : $"r{random.Next(3)}");
                Assert.NotEqual(Outcome.Busy, decision.Outcome);
                if (decision.Outcome == Outcome.Won)
                {
                    var roll = random.Next(10);
                    if (roll < 3) await engine.CancelAsync(decision.Reservation!.Id);
                    else if (roll < 4) await engine.ConfirmAsync(decision.Reservation!.Id);
                }

                // Holds fall due all the time; the engine's timer expires them from this thread's Advance.
                if (t == 0 && i % 50 == 49) time.Advance(TimeSpan.FromSeconds(3));
            }
        })).ToArray();
        await Task.WhenAll(threads).WaitAsync(EngineProbe.Deadline);
        await harness.ExpireDueAsync();

        var live = await EngineProbe.AssertNothingOversoldAsync(engine, sale);
        var reservations = await EngineProbe.ExportAsync(engine, "m");
        Assert.Contains(reservations, r => r.Status == ReservationStatus.Expired);
        Assert.Contains(reservations, r => r.Status == ReservationStatus.Cancelled);
        for (var i = 0; i < sale.ItemCount; i++)
        {
            var item = sale.Definition.Items[i].Id;
            Assert.Equal(engine.Remaining("m", i) == 0, engine.IsSoldOut("m", i));
            if (lastEvent.TryGetValue(item, out var last))
            {
                Assert.True(last.SoldOut == engine.IsSoldOut("m", i),
                    $"item {item}: the last availability event said sold out {last.SoldOut}, " +
                    $"the engine says {engine.IsSoldOut("m", i)}");
            }
            else
            {
                Assert.False(engine.IsSoldOut("m", i));
            }
        }

        var before = await EngineProbe.DescribeAsync(engine);
        var reopened = await harness.RestartAsync();
        Assert.Equal(before, await EngineProbe.DescribeAsync(reopened));
        Assert.Equal(live, await EngineProbe.AssertNothingOversoldAsync(reopened, sale));
    }
}
