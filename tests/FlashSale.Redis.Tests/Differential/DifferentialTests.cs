using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Redis.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Redis.Tests.Differential;

/// <summary>
/// The same seeded random sequence of commands (purchases, repeats, confirms, cancels, clock moves and expiries,
/// closes) through Core's rules (<see cref="CoreModel"/>) and through the Redis store must give the same answers, and
/// leave the same reservations and stock. Reservation ids differ by design (<c>shard-n</c> against <c>sale-n</c>), so
/// they are matched the first time each is won.
/// </summary>
public abstract class DifferentialTests(RedisDeployment redis)
{
    private const int Steps = 1200;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Same_commands_give_the_same_answers_as_core(int seed)
    {
        var random = new Random(seed);
        var clock = Stores.Clock();
        await using var store = await Stores.Connect(redis, clock, Stores.NewPrefix());
        var model = new CoreModel();
        var run = Guid.NewGuid().ToString("N")[..8];
        SaleDefinition[] sales =
        [
            new($"d{seed}-{run}-one", "One", Stores.Start.AddSeconds(5), null, 2, 20, null,
                [new ItemDefinition("a", "A", 1m, 3), new ItemDefinition("b", "B", 2m, 1)]),
            new($"d{seed}-{run}-two", "Two", Stores.Start, Stores.Start.AddSeconds(400), 1, 15, ["u0", "u1", "u2",
                "u3"],
                [new ItemDefinition("a", "A", 1m, 2), new ItemDefinition("b", "B", 2m, 0)]),
        ];
        foreach (var sale in sales)
        {
            model.Create(sale);
            Assert.NotNull((await store.CreateSaleAsync(sale)).Sale);
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var reservations = new List<(string Model, string Redis)>();
        (string Sale, string Item, string User, string? Request)? last = null;
        var closed = false;
        for (var step = 0; step < Steps; step++)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var roll = random.Next(100);
            var context = $"seed {seed} step {step} roll {roll}";
            if (roll < 55 || (roll < 65 && last is null))
            {
                var sale = sales[random.Next(sales.Length)].Id;
                var item = random.Next(20) == 0 ? "zz" : random.Next(2) == 0 ? "a" : "b";
                var user = "u" + random.Next(6);
                var request = random.Next(10) < 3 ? null : "r" + random.Next(6);
                last = (sale, item, user, request);
                await Purchase(sale, item, user, request);
            }
            else if (roll < 65)
            {
                await Purchase(last!.Value.Sale, last.Value.Item, last.Value.User, last.Value.Request);
            }
            else if (roll < 85)
            {
                var (modelId, redisId) = reservations.Count == 0 || random.Next(5) == 0
                    ? ("0-99999", sales[0].Id + "-99999")
                    : reservations[random.Next(reservations.Count)];
                var confirm = roll < 75;
                var expected = confirm ? model.Confirm(modelId, now) : model.Cancel(modelId, now);
                var actual = confirm ? await store.ConfirmAsync(redisId) : await store.CancelAsync(redisId);
                Assert.True(expected.Result == actual.Result,
                    $"{context}: {(confirm ? "confirm" : "cancel")} {expected} vs {actual}");
                AssertSame(expected.Reservation, actual.Reservation, context);
            }
            else if (roll < 93)
            {
                clock.Advance(TimeSpan.FromMilliseconds(random.Next(8000)));
            }
            else if (roll < 98 || closed || step < Steps * 7 / 10)
            {
                var expectedExpired = model.Expire(now);
                var expired = await store.ExpireDueAsync();
                Assert.True(expectedExpired == expired,
                    $"{context}: expired core {expectedExpired}, redis {expired}, lease {store.LeaseToken}");
            }
            else
            {
                closed = true;
                var sale = sales[random.Next(sales.Length)].Id;
                model.Close(sale, now);
                Assert.NotNull(await store.CloseSaleAsync(sale));
            }

            async Task Purchase(string sale, string item, string user, string? request)
            {
                var expected = model.Purchase(sale, item, user, request, now);
                var actual = await store.PurchaseAsync(sale, item, user, request);
                Assert.True(expected.Outcome == actual.Outcome,
                    $"{context}: purchase {sale}/{item} by {user} req {request}: "
                    + $"core {expected.Outcome}, redis {actual.Outcome}");
                if (expected.Reservation is { } won)
                {
                    if (ids.TryAdd(won.Id, actual.Reservation!.Id)) reservations.Add((won.Id, actual.Reservation.Id));
                    AssertSame(won, actual.Reservation, context);
                }
            }
        }

        await store.RefreshAsync();
        foreach (var sale in sales)
        {
            for (var item = 0; item < sale.Items.Count; item++)
            {
                Assert.True(model.Remaining(sale.Id, item) == store.Remaining(sale.Id, item),
                    $"seed {seed}: remaining {sale.Id}/{item}");
            }

            var exported = new List<Reservation>();
            await foreach (var reservation in store.ExportReservationsAsync(sale.Id)) exported.Add(reservation);
            var expectedExport = model.Export(sale.Id);
            Assert.Equal(expectedExport.Count, exported.Count);
            for (var i = 0; i < exported.Count; i++)
            {
                AssertSame(expectedExport[i], exported[i],
                $"seed {seed}: export {i}");
            }

            for (var u = 0; u < 6; u++)
            {
                var expectedMine = model.ReservationsOf(sale.Id, "u" + u);
                var mine = await store.GetReservationsAsync(sale.Id, "u" + u);
                Assert.Equal(expectedMine.Count, mine.Count);
                for (var i = 0; i < mine.Count; i++)
                {
                    AssertSame(expectedMine[i], mine[i],
                    $"seed {seed}: u{u} reservation {i}");
                }
            }
        }

        // The runs must have met every rule, or the comparison proves little.
        Assert.True(reservations.Count >= 5, $"only {reservations.Count} reservations");

        void AssertSame(Reservation? expected, Reservation? actual, string context)
        {
            if (expected is null)
            {
                Assert.Null(actual);
                return;
            }

            Assert.NotNull(actual);
            Assert.True(ids.TryGetValue(expected.Id, out var mapped) && mapped == actual.Id,
                $"{context}: id {expected.Id} vs {actual.Id}");
            Assert.True(expected with { Id = actual.Id } == actual, $"{context}: {expected} vs {actual}");
        }
    }
}
