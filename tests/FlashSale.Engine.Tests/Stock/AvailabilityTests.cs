using FlashSale.Core.Purchases;
using FlashSale.Engine.Stock;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Stock;

public sealed class AvailabilityTests
{
    [Fact]
    public void Announcements_made_out_of_order_still_end_at_the_items_true_state()
    {
        var stock = new ItemStock(1, new int[2]);
        var announced = new List<bool>();
        Assert.Equal(1, stock.Take(0, 10, out _));

        // Shard 0 sells the last unit, but its announcement is late: a cancel frees the unit and announces first.
        Assert.True(stock.Sold(0));
        Assert.True(stock.Freed());
        stock.Announce(announced, static (list, soldOut) => list.Add(soldOut));
        stock.Announce(announced, static (list, soldOut) => list.Add(soldOut));
        Assert.Empty(announced);

        Assert.Equal(1, stock.Take(1, 10, out _));
        Assert.True(stock.Sold(1));
        stock.Announce(announced, static (list, soldOut) => list.Add(soldOut));
        Assert.Equal([true], announced);
        Assert.True(stock.Freed());
        stock.Announce(announced, static (list, soldOut) => list.Add(soldOut));
        Assert.Equal([true, false], announced);
    }

    [Fact]
    public async Task Under_sell_and_cancel_churn_the_last_availability_event_is_the_items_true_state()
    {
        await using var harness = new EngineHarness(8);
        var engine = harness.Open();
        await engine.CreateSaleAsync(TestSales.OneItem("s", 2, perUserLimit: 1_000_000));
        var gate = new Lock();
        bool? last = null;
        var events = 0;
        var repeats = 0;
        engine.AvailabilityChanged += a =>
        {
            // The engine catches a subscriber's exceptions, so count here and assert on the test's thread.
            lock (gate)
            {
                if (last == a.SoldOut) repeats++;
                last = a.SoldOut;
                events++;
            }
        };

        for (var round = 0; round < 400; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
            {
                var decision = await engine.PurchaseAsync("s", "phone", $"u{t}-{round}", "r");
                if (decision.Outcome == Outcome.Won) await engine.CancelAsync(decision.Reservation!.Id);
            }))).WaitAsync(EngineProbe.Deadline);

            // Every change is announced before the purchase or cancel that made it is answered.
            lock (gate)
            {
                Assert.True(last is null || last == engine.IsSoldOut("s", 0),
                    $"round {round}: last event said sold out {last}, " +
                    $"the item is {(engine.IsSoldOut("s", 0) ? string.Empty : "not ")}sold out");
            }
        }

        Assert.True(events > 0, "no sell-out ever happened; the test exercised nothing");
        Assert.Equal(0, repeats);
    }
}
