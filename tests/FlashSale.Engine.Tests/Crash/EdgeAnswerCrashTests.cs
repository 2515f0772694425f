using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Crash;

public sealed class EdgeAnswerCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new("fs-edge-crash");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Refusals_answered_from_memory_get_the_same_answer_after_SIGKILL_and_a_restart()
    {
        List<string> lines;
        await using (var child = ChildProcess.Start(EdgeAnswerChild.Verb, _dir.Path))
        {
            await child.WaitForAsync(l => l.Contains("settled"), TimeSpan.FromSeconds(60));
            await child.KillAsync();
            lines = child.Lines;
        }

        Assert.Equal(Outcome.SoldOut.ToString(),
            lines.Single(l => l.StartsWith("bob r1", StringComparison.Ordinal)).Split(' ')[3]);
        Assert.Equal(Outcome.LimitReached.ToString(),
            lines.Single(l => l.StartsWith("alice r2", StringComparison.Ordinal)).Split(' ')[3]);
        var aliceWon = lines.Single(l => l.StartsWith("alice r0", StringComparison.Ordinal)).Split(' ')[4];

        await using var engine = FlashSaleEngine.Open(EdgeAnswerChild.Options(_dir.Path));
        const string Sale = EdgeAnswerChild.SaleId;

        // Free alice's unit and her limit: a new decision would now differ, a repeat must not.
        Assert.Equal(ChangeResult.Ok, (await engine.CancelAsync(aliceWon)).Result);
        Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync(Sale, "a", "bob", "r1")).Outcome);
        Assert.Equal(Outcome.RequestIdReused, (await engine.PurchaseAsync(Sale, "b", "bob", "r1")).Outcome);
        Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync(Sale, "b", "alice", "r2")).Outcome);
        var again = await engine.PurchaseAsync(Sale, "a", "alice", "r0");
        Assert.Equal((Outcome.Won, aliceWon), (again.Outcome, again.Reservation?.Id));
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync(Sale, "a", "bob", "r4")).Outcome);
    }
}
