using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Stores;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

/// <summary>
/// Sold-out flags across gateways: sharded pub/sub (SPUBLISH on the sale's channel, which on a cluster lives on
/// the sale's node), no refresh running, so only the messages can carry the change.
/// </summary>
public abstract class FlagTests(RedisDeployment redis)
{
    [Fact]
    public async Task Sold_out_flag_reaches_the_other_gateway_and_clears_when_a_unit_comes_back()
    {
        var prefix = Stores.NewPrefix();
        var clock = Stores.Clock();
        await using var first = await Stores.Connect(redis, clock, prefix);
        await using var second = await Stores.Connect(redis, clock, prefix);
        var id = Stores.NewSaleId("flags");
        await first.CreateSaleAsync(TestSales.Open(id, stock: 1));
        var changes = new List<ItemAvailability>();
        second.AvailabilityChanged += change =>
        {
            lock (changes) changes.Add(change);
        };

        // The second gateway learns of the sale from Redis on its first purchase.
        Assert.Equal(Outcome.Won, (await second.PurchaseAsync(id, "b", "u9")).Outcome);
        var won = await first.PurchaseAsync(id, "a", "u1");
        Assert.Equal(Outcome.Won, won.Outcome);
        await GatewayTests.Until(() => second.IsSoldOut(id, 0), "sold-out flag on the other gateway");
        var batches = second.Batches;
        Assert.Equal(Outcome.SoldOut, (await second.PurchaseAsync(id, "a", "u2")).Outcome);
        Assert.Equal(batches, second.Batches);

        Assert.Equal(ChangeResult.Ok, (await first.CancelAsync(won.Reservation!.Id)).Result);
        await GatewayTests.Until(() => !second.IsSoldOut(id, 0), "flag cleared on the other gateway");
        Assert.Equal(Outcome.Won, (await second.PurchaseAsync(id, "a", "u2")).Outcome);
        lock (changes)
        {
            Assert.Contains(new ItemAvailability(id, "a", true), changes);
            Assert.Contains(new ItemAvailability(id, "a", false), changes);
        }
    }
}
