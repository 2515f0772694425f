using FlashSale.Core.Purchases;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Purchases;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Hundred_thousand_attempts_by_twenty_thousand_buyers_from_eight_threads_win_exactly_the_stock()
    {
        const int Attempts = 100_000, Buyers = 20_000, Stock = 5_000, Threads = 8, InFlightPerThread = 64;
        await using var harness = new EngineHarness(8, static o => o.QueueCapacity = Threads * InFlightPerThread);
        var engine = harness.Open();
        var sale = (await engine.CreateSaleAsync(TestSales.OneItem("s", Stock))).Sale!;
        var random = new Random(2026);
        var users = Enumerable.Range(0, Attempts).Select(_ => $"buyer-{random.Next(Buyers)}").ToArray();

        // Each thread keeps at most InFlightPerThread attempts waiting, so no shard's queue can be full: busy is
        // impossible.
        var results = new (string User, Decision Decision)[Attempts];
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var pending = new List<(int Index, Task<Decision> Task)>(InFlightPerThread);
            for (var i = t; i < Attempts; i += Threads)
            {
                pending.Add((i, engine.PurchaseAsync("s", "phone", users[i]).AsTask()));
                if (pending.Count == InFlightPerThread || i + Threads >= Attempts)
                {
                    foreach (var (index, task) in pending)
                        results[index] = (users[index], task.GetAwaiter().GetResult());
                    pending.Clear();
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        await Task.Run(() => threads.ForEach(t => Assert.True(t.Join(EngineProbe.Deadline),
            "a purchasing thread did not finish"))).WaitAsync(EngineProbe.Deadline * 2);

        var winners = results.Where(r => r.Decision.Outcome == Outcome.Won).ToList();
        Assert.Equal(Stock, winners.Count);
        Assert.Equal(Stock, winners.Select(w => w.User).Distinct().Count());
        Assert.All(winners, w => Assert.Equal(w.User, w.Decision.Reservation!.UserId));
        var counts = results.GroupBy(r => r.Decision.Outcome).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([Outcome.Won, Outcome.SoldOut, Outcome.LimitReached], counts.Keys.Order().ToArray());
        Assert.Equal(Attempts, counts.Values.Sum());

        var stats = engine.GetStats("s")!;
        Assert.Equal(Attempts, stats.Attempts);
        Assert.Equal(Stock, stats.Won);
        foreach (var (outcome, count) in counts) Assert.Equal(count, stats.Outcomes[outcome.ToWord()]);

        var live = await EngineProbe.AssertNothingOversoldAsync(engine, sale);
        Assert.Equal(Stock, live[0]);
        Assert.Equal(winners.Select(w => w.User).Order(StringComparer.Ordinal),
            (await EngineProbe.ExportAsync(engine, "s")).Select(r => r.UserId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_full_queue_answers_busy_deciding_nothing_and_a_retry_with_the_same_requestId_is_decided_afresh()
    {
        await using var harness = new EngineHarness(1, static o => o.QueueCapacity = 1);
        var engine = harness.Open();
        await engine.CreateSaleAsync(TestSales.OneItem("s", 300));

        var first = await Task.WhenAll(
            Enumerable.Range(0, 500).Select(i => engine.PurchaseAsync("s", "phone", $"buyer-{i}", "r").AsTask()));

        var busy = Enumerable.Range(0, 500).Where(i => first[i].Outcome == Outcome.Busy).ToList();
        Assert.NotEmpty(busy);
        Assert.All(first, d => Assert.True(d.Outcome is Outcome.Won or Outcome.Busy, d.Outcome.ToString()));
        foreach (var i in busy) Assert.Empty(await engine.GetReservationsAsync("s", $"buyer-{i}"));
        Assert.Equal(300 - first.Count(d => d.Outcome == Outcome.Won), engine.Remaining("s", 0));
        Assert.Equal(busy.Count, engine.GetStats("s")!.Outcomes["busy"]);

        foreach (var i in busy)
        {
            var retry = await engine.PurchaseAsync("s", "phone", $"buyer-{i}", "r");
            Assert.True(retry.Outcome is Outcome.Won or Outcome.SoldOut, retry.Outcome.ToString());
        }

        var live = await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("s")!);
        Assert.Equal(300, live[0]);
    }
}
