using FlashSale.Core.Purchases;
using FlashSale.Engine.Shards;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Purchases;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Disposing_under_load_answers_every_attempt_and_keeps_every_won()
    {
        await using var harness = new EngineHarness(4, prefix: "fs-stop");
        var engine = await harness.OpenWithAsync(TestSales.OneItem("s", 1_000_000));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var decisions = new List<(string User, Decision Decision)>();
            for (var i = 0; ; i++)
            {
                var user = $"t{t}-{i}";
                var decision = await engine.PurchaseAsync("s", "phone", user, "r");
                decisions.Add((user, decision));
                if (i == 200) started.TrySetResult();
                if (decision.Outcome == Outcome.Busy) return decisions;
            }
        })).ToArray();
        await started.Task.WaitAsync(EngineProbe.Deadline);

        await harness.CloseAsync().WaitAsync(EngineProbe.Deadline);
        var all = (await Task.WhenAll(attempts).WaitAsync(EngineProbe.Deadline)).SelectMany(d => d).ToList();

        Assert.All(all,
            d => Assert.True(d.Decision.Outcome is Outcome.Won or Outcome.Busy, d.Decision.Outcome.ToString()));
        var reopened = harness.Open();
        foreach (var (_, decision) in all.Where(d => d.Decision.Outcome == Outcome.Won))
        {
            Assert.Equal(decision.Reservation, await reopened.FindReservationAsync(decision.Reservation!.Id));
        }

        Assert.Equal(all.Count(d => d.Decision.Outcome == Outcome.Won),
            (await EngineProbe.ExportAsync(reopened, "s")).Count);
    }

    [Fact]
    public async Task Calls_after_dispose_answer_busy_or_throw_rather_than_hang()
    {
        await using var harness = new EngineHarness(prefix: "fs-stop");
        var engine = await harness.OpenWithAsync(TestSales.OneItem("s", 10));
        var won = (await engine.PurchaseAsync("s", "phone", "alice")).Reservation!;
        await harness.CloseAsync();

        Assert.Equal(Outcome.Busy,
            (await engine.PurchaseAsync("s", "phone", "bob").AsTask().WaitAsync(EngineProbe.Deadline)).Outcome);
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => engine.ConfirmAsync(won.Id).WaitAsync(EngineProbe.Deadline));
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => engine.GetReservationsAsync("s", "alice").WaitAsync(EngineProbe.Deadline));
    }

    [Fact]
    public async Task Work_that_reaches_a_shard_queue_after_its_worker_ended_is_answered_not_left_hanging()
    {
        // What a purchase racing DisposeAsync does: it passed the stopping check, and is queued after the worker's last
        // look.
        await using var harness = new EngineHarness(prefix: "fs-stop");
        var engine = await harness.OpenWithAsync(TestSales.OneItem("s", 10));
        await harness.CloseAsync();
        var request = PurchaseRequest.Rent(engine.Catalog.Find("s")!, 0, "late", null);
        var decision = request.AsValueTask();
        var command = new ShardCommand<int>(static _ => 1);

        engine.Shard(0).Post(request);
        engine.Shard(1).Post(command);

        Assert.Equal(Outcome.Busy, (await decision.AsTask().WaitAsync(EngineProbe.Deadline)).Outcome);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => command.Task.WaitAsync(EngineProbe.Deadline));
    }
}
