using System.Collections.Concurrent;
using FlashSale.Core.Purchases;
using FlashSale.Core.Shards;
using FlashSale.Core.Stores;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Stock;

public sealed class StockMovementTests
{
    [Fact]
    public async Task One_unit_over_eight_shards_sells_exactly_once()
    {
        await using var harness = new EngineHarness(8);
        var engine = harness.Open();
        var sale = (await engine.CreateSaleAsync(TestSales.OneItem("s1", 1))).Sale!;

        // Every buyer sends a requestId, so every attempt reaches its shard rather than the sold-out flag.
        var decisions = await Task.WhenAll(
            Enumerable.Range(0, 400).Select(i => engine.PurchaseAsync("s1", "phone", $"buyer-{i}", "r1").AsTask()));

        Assert.Single(decisions, d => d.Outcome == Outcome.Won);
        Assert.Equal(399, decisions.Count(d => d.Outcome == Outcome.SoldOut));
        Assert.Equal(8, decisions.Select((_, i) => ShardRouter.ShardOf($"buyer-{i}", 8)).Distinct().Count());
        Assert.True(engine.IsSoldOut("s1", 0));
        Assert.Equal(0, engine.Remaining("s1", 0));
        Assert.Equal(SalePhase.SoldOut, engine.PhaseOf(sale));
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s1", "phone", "late-buyer")).Outcome);
        await EngineProbe.AssertNothingOversoldAsync(engine, sale);
    }

    [Fact]
    public async Task Ten_thousand_units_over_eight_shards_with_skewed_buyers_sell_every_unit_then_answer_sold_out()
    {
        const int Stock = 10_000;
        await using var harness = new EngineHarness(8);
        var engine = harness.Open();
        var sale = (await engine.CreateSaleAsync(TestSales.OneItem("big", Stock))).Sale!;
        var availability = new ConcurrentQueue<ItemAvailability>();
        engine.AvailabilityChanged += availability.Enqueue;

        // A few buyers on every other shard come first, so each of those shards takes a chunk of units, then stop.
        var fewPerShard = Enumerable.Range(1, 7).SelectMany(shard => BuyersOn(shard, 8, 3, $"early{shard}-")).ToList();
        var early = await Task.WhenAll(fewPerShard.Select(u => engine.PurchaseAsync("big", "phone", u).AsTask()));
        Assert.All(early, d => Assert.Equal(Outcome.Won, d.Outcome));
        for (var shard = 1; shard < 8; shard++)
            Assert.True(engine.Catalog.Find("big")!.Items[0].UnitsAt(shard) > 0, $"shard {shard} took no chunk");

        // Then nearly all buyers hash to shard 0: the units the other shards hold must move to it.
        var crowd = BuyersOn(0, 8, Stock - fewPerShard.Count + 500, "crowd-");
        var outcomes = new ConcurrentDictionary<Outcome, int>();
        await Parallel.ForEachAsync(crowd, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (user, _) =>
        {
            var decision = await engine.PurchaseAsync("big", "phone", user, "r");
            outcomes.AddOrUpdate(decision.Outcome, 1, static (_, n) => n + 1);
        }).WaitAsync(EngineProbe.Deadline);

        Assert.Equal(Stock - fewPerShard.Count, outcomes.GetValueOrDefault(Outcome.Won));
        Assert.Equal(500, outcomes.GetValueOrDefault(Outcome.SoldOut));
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(0, engine.Remaining("big", 0));
        Assert.True(engine.IsSoldOut("big", 0));
        Assert.Equal([new ItemAvailability("big", "phone", true)], availability);
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("big", "phone", "late", "r")).Outcome);
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("big", "phone", fewPerShard[0] + "x")).Outcome);

        var live = await EngineProbe.AssertNothingOversoldAsync(engine, sale);
        Assert.Equal(Stock, live[0]);
        var stats = engine.GetStats("big")!;
        Assert.Equal(Stock, stats.Won);
        Assert.NotNull(stats.SoldOutAt);
    }

    /// <summary>
    /// The first <paramref name="count"/> user ids with <paramref name="prefix"/> that hash to
    /// <paramref name="shard"/>.
    /// </summary>
    internal static List<string> BuyersOn(int shard, int shardCount, int count, string prefix)
    {
        var users = new List<string>(count);
        for (var n = 0; users.Count < count; n++)
        {
            var user = prefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (ShardRouter.ShardOf(user, shardCount) == shard) users.Add(user);
        }

        return users;
    }
}
