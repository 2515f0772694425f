using System.Diagnostics;
using FlashSale.Core.Purchases;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

/// <summary>
/// Unknown outcomes: a resend with the same attempt id gets the stored decision; Redis down answers busy.
/// </summary>
[Collection(StandaloneCollectionDefinition.Name)]
public sealed class LostReplyTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Resend_of_a_batch_returns_the_stored_decisions()
    {
        var clock = Stores.Clock();
        await using var store = await Stores.Connect(redis, clock, Stores.NewPrefix());
        var id = Stores.NewSaleId("resend");
        await store.CreateSaleAsync(TestSales.Open(id, stock: 5));

        // The first reply is "lost": the gateway sends the same batch (same batch id, so the same attempt ids) again.
        var batchId = store.NextBatchId();
        var first = await store.DecideBatchAsync(id, batchId, (0, "u1", null), (0, "u2", "r1"));
        var again = await store.DecideBatchAsync(id, batchId, (0, "u1", null), (0, "u2", "r1"));
        Assert.Equal(Outcome.Won, first[0].Outcome);
        Assert.Equal(Outcome.Won, first[1].Outcome);
        Assert.Equal(first, again);

        Assert.Equal(Outcome.LimitReached, (await store.PurchaseAsync(id, "a", "u1")).Outcome);
        Assert.Equal([first[0].Reservation!, first[1].Reservation!], await store.ReadOutboxAsync(id));
        await store.RefreshAsync();
        Assert.Equal(3, store.Remaining(id, 0));
    }

    [Fact]
    public async Task A_reply_lost_to_a_timeout_is_resent_and_decided_once()
    {
        var clock = Stores.Clock();
        await using var store = await Stores.Connect(redis, clock, Stores.NewPrefix(), o =>
        {
            o.CommandTimeoutMs = 250;
            o.MaxRetries = 10;
        });
        var id = Stores.NewSaleId("timeout");
        await store.CreateSaleAsync(TestSales.Open(id, stock: 5));

        // Redis holds every write (scripts included) for 2.5 s, then runs them in order: the first send decides, its
        // reply arrives after the gateway gave up on it, and a resend gets the stored decision.
        redis.Primary.Cli("CLIENT", "PAUSE", "2500", "WRITE");
        var decision = await store.PurchaseAsync(id, "a", "u1");

        Assert.Equal(Outcome.Won, decision.Outcome);
        Assert.True(store.Resends >= 1, "the batch was never resent");
        Assert.Equal([decision.Reservation!], await store.ReadOutboxAsync(id));
        Assert.Single(await store.GetReservationsAsync(id, "u1"));
        await store.RefreshAsync();
        Assert.Equal(4, store.Remaining(id, 0));
    }

    [Fact]
    public async Task Purchases_answer_busy_while_redis_is_unreachable()
    {
        using var alone = RedisProcess.Start();
        var options = new RedisStoreOptions
        {
            Configuration = alone.EndPoint,
            KeyPrefix = Stores.NewPrefix(),
            RefreshInterval = TimeSpan.Zero,
            ExpiryInterval = TimeSpan.Zero,
            CommandTimeoutMs = 500,
            MaxRetries = 1,
        };
        await using var store = await RedisSaleStore.ConnectAsync(options, Stores.Clock());
        var id = Stores.NewSaleId("down");
        await store.CreateSaleAsync(TestSales.Open(id, stock: 5));
        Assert.Equal(Outcome.Won, (await store.PurchaseAsync(id, "a", "u1")).Outcome);

        alone.Kill();
        var deadline = Stopwatch.StartNew();
        for (var n = 2; ; n++)
        {
            var outcome = (await store.PurchaseAsync(id, "a", "u" + n)).Outcome;
            Assert.NotEqual(Outcome.Won, outcome);
            if (outcome == Outcome.Busy) break;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"still {outcome}");
        }

        Assert.Equal(Outcome.Busy, (await store.PurchaseAsync(id, "b", "u99", "r1")).Outcome);
        Assert.False(store.IsHealthy);
    }
}
