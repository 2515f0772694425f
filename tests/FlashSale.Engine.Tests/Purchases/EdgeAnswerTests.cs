using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Purchases;

/// <summary>
/// Refusals answered from memory, without the buyer's shard: sold-out items and buyers at their limit, with a
/// requestId. The answer is synchronous (the returned task is complete), and it is the key's one answer.
/// </summary>
public sealed class EdgeAnswerTests
{
    [Fact]
    public async Task A_new_requestId_for_a_sold_out_item_is_answered_at_once_and_keeps_its_answer_when_a_unit_returns()
    {
        await using var harness = new EngineHarness(2, prefix: "fs-edge");
        var engine = await harness.OpenWithAsync(TestSales.Items("s", 1, 1800, ("a", 1), ("b", 5)));
        var won = await engine.PurchaseAsync("s", "a", "alice", "r0");
        Assert.Equal(Outcome.Won, won.Outcome);

        var refused = engine.PurchaseAsync("s", "a", "bob", "r1");
        Assert.True(refused.IsCompletedSuccessfully, "a sold-out refusal went to the shard");
        Assert.Equal(Outcome.SoldOut, (await refused).Outcome);

        // The unit comes back; bob's r1 was decided once, as sold_out, and another item is another request.
        Assert.Equal(ChangeResult.Ok, (await engine.CancelAsync(won.Reservation!.Id)).Result);
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "a", "bob", "r1")).Outcome);
        Assert.Equal(Outcome.RequestIdReused, (await engine.PurchaseAsync("s", "b", "bob", "r1")).Outcome);
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "a", "bob", "r2")).Outcome);
    }

    [Fact]
    public async Task A_buyer_at_the_limit_is_refused_at_once_and_the_refusal_outlives_the_freed_limit_and_a_restart()
    {
        await using var harness = new EngineHarness(2, prefix: "fs-edge");
        var engine = await harness.OpenWithAsync(TestSales.Items("s", 1, 1800, ("a", 5), ("b", 5)));
        var won = await engine.PurchaseAsync("s", "a", "alice", "r0");
        Assert.Equal(Outcome.Won, won.Outcome);

        var refused = engine.PurchaseAsync("s", "b", "alice", "r1");
        Assert.True(refused.IsCompletedSuccessfully, "a refusal at the limit went to the shard");
        Assert.Equal(Outcome.LimitReached, (await refused).Outcome);

        Assert.Equal(ChangeResult.Ok, (await engine.CancelAsync(won.Reservation!.Id)).Result);
        Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "b", "alice", "r1")).Outcome);
        Assert.Equal(Outcome.RequestIdReused, (await engine.PurchaseAsync("s", "a", "alice", "r1")).Outcome);

        engine = await harness.RestartAsync();
        Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "b", "alice", "r1")).Outcome);
        Assert.Equal(Outcome.RequestIdReused, (await engine.PurchaseAsync("s", "a", "alice", "r1")).Outcome);
        var again = await engine.PurchaseAsync("s", "a", "alice", "r0");
        Assert.Equal(won.Reservation, again.Reservation);
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "b", "alice", "r2")).Outcome);
    }

    [Fact]
    public async Task Many_attempts_with_one_requestId_racing_a_returning_unit_all_get_one_answer()
    {
        await using var harness = new EngineHarness(2, prefix: "fs-edge");
        var engine = await harness.OpenWithAsync(TestSales.OneItem("s", 1));
        var won = await engine.PurchaseAsync("s", "phone", "alice", "r0");
        var cancel = Task.Run(() => engine.CancelAsync(won.Reservation!.Id));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 400)
            .Select(i => Task.Run(() => engine.PurchaseAsync("s", "phone", $"buyer-{i % 8}", "same").AsTask())));
        await cancel;

        // Each buyer's one requestId got one answer, whichever way the race went; at most one buyer won the unit.
        foreach (var answers in attempts.Select((d, i) => (d, i)).GroupBy(x => x.i % 8, x => x.d))
        {
            Assert.Single(answers.Select(d => (d.Outcome, d.Reservation?.Id)).Distinct());
        }

        var wins = attempts.Where(d => d.Outcome == Outcome.Won).Select(d => d.Reservation!.Id).Distinct();
        Assert.True(wins.Count() <= 1);
    }

    [Fact]
    public async Task Remembered_answers_are_dropped_once_the_sale_ended_longer_ago_than_the_retention()
    {
        var rememberFor = TimeSpan.FromHours(2);
        await using var harness = new EngineHarness(2, o => o.RememberFor = rememberFor, "fs-edge");
        var definition = Ending("s", TestSales.Start.AddHours(1));
        var engine = await harness.OpenWithAsync(definition);
        var won = await engine.PurchaseAsync("s", "a", "alice", "r0");
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "a", "bob", "r1")).Outcome);

        // Ended, within the retention: repeats get their first answers.
        harness.Time.SetUtcNow(definition.EndsAt!.Value + rememberFor - TimeSpan.FromMilliseconds(1));
        await harness.ExpireDueAsync();
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "a", "bob", "r1")).Outcome);
        Assert.Equal(won, await engine.PurchaseAsync("s", "a", "alice", "r0"));
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "a", "carol", "r1")).Outcome);

        // Past it: dropped; a repeat is an attempt at an ended sale. The reservation stays.
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await harness.ExpireDueAsync();
        Assert.Equal(0, AnswersHeld(engine, "s"));
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "a", "bob", "r1")).Outcome);
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "a", "alice", "r0")).Outcome);
        Assert.Equal(ReservationStatus.Expired, (await engine.FindReservationAsync(won.Reservation!.Id))?.Status);
    }

    [Fact]
    public async Task Answers_past_their_retention_stay_dropped_across_snapshots_and_restarts()
    {
        var rememberFor = TimeSpan.FromMinutes(30);
        await using var harness = new EngineHarness(1, o =>
        {
            o.RememberFor = rememberFor;
            o.SegmentBytes = 4096;
        }, "fs-edge");
        var old = Ending("old", TestSales.Start.AddHours(1));
        var engine = await harness.OpenWithAsync(old, TestSales.OneItem("open", 1));
        await engine.PurchaseAsync("old", "a", "alice", "r0");
        await engine.PurchaseAsync("open", "phone", "alice", "r0");
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("old", "a", $"late-{i}", "r1")).Outcome);
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("open", "phone", $"late-{i}", "r1")).Outcome);
        }

        // A restart within the retention: every answer is back, from the journal.
        engine = await harness.RestartAsync();
        Assert.Equal(201, AnswersHeld(engine, "old"));
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("old", "a", "late-7", "r1")).Outcome);

        // The clock passes the old sale's end plus the retention while the server is down: recovery drops them.
        await harness.CloseAsync();
        harness.Time.SetUtcNow(old.EndsAt!.Value + rememberFor);
        engine = harness.Open();
        Assert.Equal(0, AnswersHeld(engine, "old"));
        Assert.Equal(201, AnswersHeld(engine, "open"));

        // Enough traffic for new snapshots, which then hold none of the old sale's answers, and a restart from them.
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("open", "phone", $"later-{i}", "r2")).Outcome);
        }

        engine = await harness.RestartAsync();
        var shardDirectory = Path.Combine(harness.Options.DataDirectory, "shard-000");
        Assert.NotEmpty(Directory.GetFiles(shardDirectory, "snapshot-*"));
        Assert.Equal(0, AnswersHeld(engine, "old"));
        Assert.Equal(401, AnswersHeld(engine, "open"));
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("old", "a", "late-7", "r1")).Outcome);
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("open", "phone", "late-7", "r1")).Outcome);
    }

    private static SaleDefinition Ending(string id, DateTimeOffset endsAt) =>
        new(id, "Sale " + id, TestSales.Start, endsAt, 1, 1800, null, [new ItemDefinition("a", "A", 1m, 1)]);

    private static int AnswersHeld(FlashSaleEngine engine, string saleId)
    {
        var held = 0;
        for (var i = 0; i < engine.ShardCount; i++) held += engine.Shard(i).State.FindAnswers(saleId)?.Count ?? 0;
        return held;
    }
}
