using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Durability;

/// <summary>
/// WaitReplicas: wins are answered only once WAIT confirms them on N replicas; short of that the buyer hears busy,
/// and a repeat of the requestId gets the recorded win once a replica holds it.
/// </summary>
public sealed class WaitReplicasTests
{
    [Fact]
    public async Task A_win_is_answered_once_the_replica_holds_it()
    {
        using var redis = new ReplicatedRedis(1);
        var prefix = Stores.NewPrefix();
        await using var store = await Stores.Connect(redis, Stores.Clock(), prefix, o => o.WaitReplicas = 1);
        var id = Stores.NewSaleId("wait");
        await store.CreateSaleAsync(TestSales.Open(id, stock: 5));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(n =>
            store.PurchaseAsync(id, n % 2 == 0 ? "a" : "b", "u" + n, "r").AsTask()));

        Assert.Equal(10, decisions.Count(d => d.Outcome == Outcome.Won));
        Assert.Equal(10, decisions.Count(d => d.Outcome == Outcome.SoldOut));
        Assert.Equal(0, store.Unconfirmed);

        // Confirmed means already on the replica: read it there, at once.
        var replica = redis.Replicas[0];
        Assert.Equal("10", replica.Cli("HLEN", "{" + prefix + ":sale:" + id + "}:res").Trim());
    }

    [Fact]
    public async Task Without_a_replica_a_win_answers_busy_and_its_repeat_wins_once_a_replica_confirms()
    {
        using var redis = new ReplicatedRedis(0);
        var prefix = Stores.NewPrefix();
        await using var store = await Stores.Connect(redis, Stores.Clock(), prefix, o =>
        {
            o.WaitReplicas = 1;
            o.WaitTimeout = TimeSpan.FromMilliseconds(50);
        });
        var id = Stores.NewSaleId("nowait");
        await store.CreateSaleAsync(TestSales.Open(id, stock: 1));

        var first = await store.PurchaseAsync(id, "a", "u1", "r1");
        Assert.True(first.Outcome == Outcome.Busy, $"first answer {first.Outcome}");
        Assert.True(store.Unconfirmed >= 1, $"unconfirmed {store.Unconfirmed}");

        // The decision is recorded on the primary: the unit is taken, another buyer hears sold_out.
        var other = await store.PurchaseAsync(id, "a", "u2", "r1");
        Assert.True(other.Outcome == Outcome.SoldOut, $"other buyer's answer {other.Outcome}");

        using var replica = RedisProcess.Start("--replicaof", "127.0.0.1",
            redis.Primary.Port.ToString(CultureInfo.InvariantCulture));
        await Gateways.GatewayTests.Until(() => replica.Info("replication", "master_link_status") == "up",
            "the replica's link");

        // As a buyer told busy does: repeat with the same requestId (the replica may take a moment to acknowledge).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Decision repeat;
        do
        {
            repeat = await store.PurchaseAsync(id, "a", "u1", "r1");
        }
        while (repeat.Outcome == Outcome.Busy && watch.Elapsed < TimeSpan.FromSeconds(20));
        Assert.True(repeat.Outcome == Outcome.Won, $"repeat answer {repeat.Outcome}");
        Assert.Equal([repeat.Reservation!], await store.ReadOutboxAsync(id));
    }

    [Theory]
    [InlineData(-1, 500, "WaitReplicas must be 0 (off) to 16")]
    [InlineData(17, 500, "WaitReplicas must be 0 (off) to 16")]
    [InlineData(1, 0, "WaitTimeout must be 1 ms to 30 s")]
    [InlineData(1, 31_000, "WaitTimeout must be 1 ms to 30 s")]
    public async Task Bad_wait_settings_are_refused_with_a_reason(int replicas, int timeoutMs, string reason)
    {
        var options = new RedisStoreOptions
        {
            Configuration = "127.0.0.1:1",
            WaitReplicas = replicas,
            WaitTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        };

        Assert.Equal(reason, options.Validate());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisSaleStore.ConnectAsync(options));
        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }
}
