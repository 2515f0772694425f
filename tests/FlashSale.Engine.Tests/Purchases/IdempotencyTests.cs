using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Purchases;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task The_same_buyer_and_requestId_get_the_first_decision_again_also_after_a_restart()
    {
        await using var harness = new EngineHarness(4, prefix: "fs-idem");
        Reservation first;
        {
            var engine = await harness.OpenWithAsync(TestSales.OneItem("s", 2));
            var won = await engine.PurchaseAsync("s", "phone", "alice", "r1");
            Assert.Equal(Outcome.Won, won.Outcome);
            first = won.Reservation!;

            Assert.Equal(won, await engine.PurchaseAsync("s", "phone", "alice", "r1"));
            Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "phone", "alice", "r2")).Outcome);
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "bob", "r1")).Outcome);
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "carol", "r1")).Outcome);

            // A unit comes back, yet every repeat still gets its first answer; nothing is decided twice.
            Assert.Equal(ChangeResult.Ok, (await engine.CancelAsync(first.Id)).Result);
            Assert.Equal(won, await engine.PurchaseAsync("s", "phone", "alice", "r1"));
            Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "phone", "alice", "r2")).Outcome);
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "carol", "r1")).Outcome);
            Assert.Equal(1, engine.Remaining("s", 0));
        }

        {
            var engine = await harness.RestartAsync();
            var again = await engine.PurchaseAsync("s", "phone", "alice", "r1");
            Assert.Equal(Outcome.Won, again.Outcome);
            Assert.Equal(first, again.Reservation);
            Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "phone", "alice", "r2")).Outcome);
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "carol", "r1")).Outcome);
            Assert.Equal(ReservationStatus.Cancelled, (await engine.FindReservationAsync(first.Id))?.Status);

            // A new requestId is a new decision: the cancelled hold freed both the unit and alice's limit.
            var fresh = await engine.PurchaseAsync("s", "phone", "alice", "r3");
            Assert.Equal(Outcome.Won, fresh.Outcome);
            Assert.NotEqual(first.Id, fresh.Reservation!.Id);
            Assert.Equal(2, (await engine.GetReservationsAsync("s", "alice")).Count);
        }
    }

    [Fact]
    public async Task Many_repeats_of_one_request_in_flight_at_once_decide_once()
    {
        await using var harness = new EngineHarness(4);
        var engine = harness.Open();
        await engine.CreateSaleAsync(TestSales.OneItem("s", 100, perUserLimit: 50));

        var decisions = await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => engine.PurchaseAsync("s", "phone", "alice", $"r{i % 10}").AsTask()));

        Assert.All(decisions, d => Assert.Equal(Outcome.Won, d.Outcome));
        Assert.Equal(10, decisions.Select(d => d.Reservation!.Id).Distinct().Count());
        Assert.Equal(10, (await engine.GetReservationsAsync("s", "alice")).Count);
        Assert.Equal(90, engine.Remaining("s", 0));
    }

    [Fact]
    public async Task Answers_that_decide_nothing_are_not_remembered()
    {
        await using var harness = new EngineHarness(2);
        var time = harness.Time;
        var engine = harness.Open();
        var later = TestSales.OneItem("s", 1) with { StartsAt = TestSales.Start.AddMinutes(1) };
        await engine.CreateSaleAsync(later);

        Assert.Equal(Outcome.NotStarted, (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Outcome);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Outcome);
    }

    [Fact]
    public async Task A_requestId_reused_for_another_item_is_answered_request_id_reused_also_after_a_restart()
    {
        // Small segments: the remembered answers pass through a snapshot before the restart, not only the journal.
        await using var harness = new EngineHarness(2, static o => o.SegmentBytes = 4096, "fs-idem");
        Decision won;
        {
            var engine = await harness.OpenWithAsync(
                TestSales.Items("s", 1, 1800, ("phone", 1), ("case", 5)),
                TestSales.Items("t", 1, 1800, ("case", 5)));
            won = await engine.PurchaseAsync("s", "phone", "alice", "r1");
            Assert.Equal(Outcome.Won, won.Outcome);
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "bob", "r1")).Outcome);
            Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "case", "alice", "r2")).Outcome);

            // The same requestId in another sale is another request.
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("t", "case", "alice", "r1")).Outcome);
            await AssertReusedAsync(engine, won);
            Assert.Equal(4, engine.GetStats("s")!.Outcomes["request_id_reused"]);

            // Enough remembered answers of latecomers to fill the segments: every shard writes a snapshot.
            var late = await Task.WhenAll(
                Enumerable.Range(0, 600).Select(i => engine.PurchaseAsync("s", "phone", $"late-{i}", "r1").AsTask()));
            Assert.All(late, d => Assert.Equal(Outcome.SoldOut, d.Outcome));
            await harness.CloseAsync();
        }

        for (var shard = 0; shard < 2; shard++)
        {
            var shardDirectory = Path.Combine(harness.Options.DataDirectory, $"shard-{shard:D3}");
            Assert.NotEmpty(Directory.GetFiles(shardDirectory, "snapshot-*.snap"));
        }

        {
            var engine = harness.Open();
            await AssertReusedAsync(engine, won);
            Assert.Equal(Outcome.RequestIdReused, (await engine.PurchaseAsync("s", "case", "late-7", "r1")).Outcome);
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "late-7", "r1")).Outcome);
        }
    }

    /// <summary>
    /// alice won a phone with r1 and got limit_reached for a case with r2; bob got sold_out for a phone with r1.
    /// </summary>
    private static async Task AssertReusedAsync(FlashSaleEngine engine, Decision won)
    {
        Assert.Equal(Decision.Of(Outcome.RequestIdReused), await engine.PurchaseAsync("s", "case", "alice", "r1"));
        Assert.Equal(Decision.Of(Outcome.RequestIdReused), await engine.PurchaseAsync("s", "phone", "alice", "r2"));
        Assert.Equal(Decision.Of(Outcome.RequestIdReused), await engine.PurchaseAsync("s", "case", "bob", "r1"));
        Assert.Equal(won, await engine.PurchaseAsync("s", "phone", "alice", "r1"));
        Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "case", "alice", "r2")).Outcome);
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "bob", "r1")).Outcome);

        // Nothing was decided for the reused requests: no unit moved, nobody got a reservation.
        Assert.Equal(5, engine.Remaining("s", 1));
        Assert.Equal([won.Reservation!], await engine.GetReservationsAsync("s", "alice"));
        Assert.Empty(await engine.GetReservationsAsync("s", "bob"));
        Assert.Equal(Decision.Of(Outcome.RequestIdReused), await engine.PurchaseAsync("s", "case", "bob", "r1"));
    }
}
