using FlashSale.Core.Outbox;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Outbox;

/// <summary>The outbox checks, run on the standalone deployment and on the cluster.</summary>
public static class OutboxChecks
{
    /// <summary>
    /// Wins of two sales on two gateways, many per script call (a stream entry), read in small batches: every win once,
    /// each sale's order kept, every entry's cursor resuming right after it.
    /// </summary>
    public static async Task Every_win_is_read_once_in_order_in_batches_that_split_stream_entries(
        RedisDeployment redis)
    {
        var clock = Stores.Clock();
        var prefix = Stores.NewPrefix();
        await using var one = await Stores.Connect(redis, clock, prefix);
        await using var two = await Stores.Connect(redis, clock, prefix);
        var sales = new[] { Stores.NewSaleId("out-a"), Stores.NewSaleId("out-b") };
        foreach (var id in sales) await one.CreateSaleAsync(TestSales.Open(id, stock: 30));

        // Sent at once, so batches (one stream entry each) hold many wins.
        var attempts = new List<Task<Decision>>();
        for (var i = 0; i < 40; i++)
        {
            var store = i % 2 == 0 ? one : two;
            attempts.Add(store.PurchaseAsync(sales[i % 2], i % 4 < 2 ? "a" : "b", $"user-{i}").AsTask());
        }

        var won = (await Task.WhenAll(attempts)).Where(d => d.Outcome == Outcome.Won)
            .Select(d => d.Reservation!).ToList();
        Assert.Equal(40, won.Count);

        // Some stream entry holds several wins, so batches of 3 end inside entries.
        await using (var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            long entries = 0;
            foreach (var id in sales)
            {
                entries += await connection.GetDatabase().StreamLengthAsync("{" + prefix + ":sale:" + id + "}:outbox");
            }

            Assert.InRange(entries, 2, 39);
        }

        var read = await ReadAllAsync(two, null, 3);
        Assert.Equal(won.Select(r => r.Id).Order(StringComparer.Ordinal),
            read.Select(e => e.Reservation.Id).Order(StringComparer.Ordinal));
        foreach (var id in sales)
        {
            var sequences = read.Where(e => e.Reservation.SaleId == id)
                .Select(e => long.Parse(e.Reservation.Id[(id.Length + 1)..],
                    System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }

        Assert.All(read, e => Assert.Equal(ReservationStatus.Held, e.Reservation.Status));
        Assert.Empty((await one.ReadAsync(read[^1].Cursor, 10)).Entries);
        var resumed = await ReadAllAsync(one, read[16].Cursor, 7);
        Assert.Equal(read.Skip(17).Select(e => e.Reservation.Id).Order(StringComparer.Ordinal),
            resumed.Select(e => e.Reservation.Id).Order(StringComparer.Ordinal));

        // A later win after the last cursor is all a reader at the end sees.
        var late = await one.PurchaseAsync(sales[0], "a", "late");
        var after = await one.ReadAsync(read[^1].Cursor, 10);
        Assert.Equal(late.Reservation!.Id, Assert.Single(after.Entries).Reservation.Id);
        await Assert.ThrowsAsync<OutboxCursorException>(async () => await one.ReadAsync("e:1.2", 10));
        await Assert.ThrowsAsync<OutboxCursorException>(async () => await one.ReadAsync("r:!!", 10));
    }

    /// <summary>
    /// The delivery lease: one gateway at a time; a holder that stalls past its lease is fenced off when it saves, and
    /// the next holder resumes from the saved cursor.
    /// </summary>
    public static async Task One_gateway_holds_the_delivery_and_a_stale_holder_cannot_save(RedisDeployment redis)
    {
        var clock = Stores.Clock();
        var prefix = Stores.NewPrefix();
        await using var one = await Stores.Connect(redis, clock, prefix,
            o => o.LeaseDuration = TimeSpan.FromMilliseconds(300));
        await using var two = await Stores.Connect(redis, clock, prefix,
            o => o.LeaseDuration = TimeSpan.FromMilliseconds(300));
        var first = one.Checkpoint("hook");
        var second = two.Checkpoint("hook");
        Assert.True(await first.TryHoldAsync());
        Assert.False(await second.TryHoldAsync());
        Assert.True(await first.SaveAsync("r:cursor-1"));
        Assert.Equal("r:cursor-1", await second.LoadAsync());

        // The first holder stalls (renews nothing) past its lease; the second takes over.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await second.TryHoldAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease never lapsed");
            await Task.Delay(50);
        }

        Assert.False(await first.SaveAsync("r:stale"));
        Assert.True(await second.SaveAsync("r:cursor-2"));
        Assert.Equal("r:cursor-2", await first.LoadAsync());
        Assert.False(await first.TryHoldAsync());

        // Given up on stop, the lease passes at once.
        await second.ReleaseAsync();
        Assert.True(await first.TryHoldAsync());
    }

    private static async Task<List<OutboxEntry>> ReadAllAsync(RedisSaleStore store, string? cursor, int max)
    {
        var all = new List<OutboxEntry>();
        while (true)
        {
            var batch = await store.ReadAsync(cursor, max);
            Assert.True(batch.Entries.Count <= max);
            if (batch.Entries.Count == 0) return all;
            all.AddRange(batch.Entries);
            cursor = batch.Cursor;
        }
    }
}
