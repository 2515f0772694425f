using System.Diagnostics;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Stores;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

/// <summary>What two gateways on one Redis see of each other: sales, closes, the expiry lease.</summary>
[Collection(StandaloneCollectionDefinition.Name)]
public sealed class GatewayTests(StandaloneRedis redis)
{
    [Fact]
    public async Task A_close_on_one_gateway_is_seen_by_the_other()
    {
        var prefix = Stores.NewPrefix();
        var clock = Stores.Clock();
        await using var first = await Stores.Connect(redis, clock, prefix);
        await using var second = await Stores.Connect(redis, clock, prefix);
        var id = Stores.NewSaleId("close");
        await first.CreateSaleAsync(TestSales.Open(id));
        await Until(() => second.FindSale(id) is not null, "the new sale on the other gateway");

        await first.CloseSaleAsync(id);
        await Until(() => second.PhaseOf(second.FindSale(id)!) == SalePhase.Ended, "the close on the other gateway");
        Assert.Equal(Outcome.Ended, (await second.PurchaseAsync(id, "a", "u1")).Outcome);
    }

    [Fact]
    public async Task A_stale_lease_holder_is_fenced_off()
    {
        var prefix = Stores.NewPrefix();
        var clock = Stores.Clock();
        await using var first = await Stores.Connect(redis, clock, prefix);
        await using var second = await Stores.Connect(redis, clock, prefix);
        var id = Stores.NewSaleId("lease");
        await first.CreateSaleAsync(TestSales.Open(id, holdSeconds: 5));
        await second.FindSaleAsync(id);
        await first.PurchaseAsync(id, "a", "u1");

        Assert.Equal(0, await first.ExpireDueAsync());
        var stale = first.LeaseToken!.Value;
        Assert.Equal(0, await second.ExpireDueAsync());

        // The first holder stalls past its lease; the second takes over and acts in the sale.
        redis.Primary.Cli("DEL", prefix + ":lease:expiry");
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await second.ExpireDueAsync());
        Assert.True(second.LeaseToken > stale);

        Assert.Equal(-1, await first.ExpireSaleAsync(id, stale));
        Assert.Equal(0, await first.ExpireDueAsync());
        Assert.Null(first.LeaseToken);
    }

    internal static async Task Until(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }
}
