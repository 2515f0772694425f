using System.Collections.Concurrent;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Gateways;

/// <summary>
/// Many buyers at once through two gateways (two stores, each with its own connections) on one Redis: exactly the
/// stock is won, nobody holds more than the limit, and the outbox stream and the export hold exactly the wins the
/// buyers were told.
/// </summary>
public abstract class ConcurrentBuyersTests(RedisDeployment redis)
{
    [Fact]
    public async Task Two_gateways_sell_exactly_the_stock_within_every_limit()
    {
        var prefix = Stores.NewPrefix();
        var clock = TimeProvider.System;
        await using var first = await Stores.Connect(redis, clock, prefix, o
            => o.BatchWindow = TimeSpan.FromMilliseconds(1));
        await using var second = await Stores.Connect(redis, clock, prefix, o
            => o.BatchWindow = TimeSpan.FromMilliseconds(1));
        var saleId = Stores.NewSaleId("crowd");
        var definition = new SaleDefinition(saleId, "Crowd", clock.GetUtcNow().AddSeconds(-1), null, 2, 600, null,
            [new ItemDefinition("a", "A", 1m, 60), new ItemDefinition("b", "B", 1m, 40)]);
        Assert.NotNull((await first.CreateSaleAsync(definition)).Sale);

        const int Buyers = 300;
        var wins = new ConcurrentDictionary<string, Reservation>(StringComparer.Ordinal);
        var outcomes = new ConcurrentDictionary<Outcome, int>();
        await Task.WhenAll(Enumerable.Range(0, Buyers).Select(b => Task.Run(async () =>
        {
            var gateway = b % 2 == 0 ? first : second;
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var item = (b + attempt) % 3 == 0 ? "b" : "a";

                // Half the buyers send a requestId and repeat it once, on the other gateway.
                var requestId = b % 2 == 0 ? $"r{attempt / 2}" : null;
                var target = requestId is not null && attempt % 2 == 1 ? (gateway == first ? second : first) : gateway;
                var decision = await target.PurchaseAsync(saleId, item, "user" + b, requestId);
                outcomes.AddOrUpdate(decision.Outcome, 1, static (_, n) => n + 1);
                if (decision.Reservation is { } won && !wins.TryAdd(won.Id, won)) Assert.Equal(wins[won.Id], won);
            }
        })));

        Assert.True(wins.Count == 100, $"won {wins.Count}, outcomes {string.Join(", ", outcomes)}");
        Assert.DoesNotContain(Outcome.Busy, outcomes.Keys);
        Assert.All(wins.Values.GroupBy(w => w.UserId), g => Assert.True(g.Count() <= 2, $"{g.Key} holds {g.Count()}"));
        Assert.Equal(60, wins.Values.Count(w => w.ItemId == "a"));

        var outbox = await first.ReadOutboxAsync(saleId);
        Assert.Equal(wins.Values.OrderBy(w => w.Id, StringComparer.Ordinal), outbox.OrderBy(w => w.Id,
            StringComparer.Ordinal));

        var exported = new List<Reservation>();
        await foreach (var reservation in second.ExportReservationsAsync(saleId)) exported.Add(reservation);
        Assert.Equal(wins.Values.OrderBy(w => w.Id, StringComparer.Ordinal), exported.OrderBy(w => w.Id,
            StringComparer.Ordinal));

        await second.RefreshAsync();
        Assert.Equal(0, second.Remaining(saleId, 0) + second.Remaining(saleId, 1));
        Assert.True(first.Batches + second.Batches < first.BatchedAttempts + second.BatchedAttempts,
            "no batch held two attempts");
    }
}
