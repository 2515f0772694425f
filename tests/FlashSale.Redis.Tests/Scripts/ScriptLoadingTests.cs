using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Scripts;

/// <summary>
/// The scripts go by SHA1 (EVALSHA); a Redis that forgot them (restart, failover, flush) gets them again.
/// </summary>
[Collection(StandaloneCollectionDefinition.Name)]
public sealed class ScriptLoadingTests(StandaloneRedis redis)
{
    [Fact]
    public async Task A_flushed_script_cache_is_reloaded_on_NOSCRIPT()
    {
        await using var store = await Stores.Connect(redis, Stores.Clock(), Stores.NewPrefix());
        var id = Stores.NewSaleId("noscript");
        await store.CreateSaleAsync(TestSales.Open(id));

        redis.Primary.Cli("SCRIPT", "FLUSH");
        var won = await store.PurchaseAsync(id, "a", "u1", "r1");
        Assert.Equal(Outcome.Won, won.Outcome);
        redis.Primary.Cli("SCRIPT", "FLUSH");
        Assert.Equal(ReservationStatus.Confirmed, (await store.ConfirmAsync(won.Reservation!.Id)).Reservation!.Status);
        Assert.Equal(0, store.Resends);
    }
}
