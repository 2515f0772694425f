using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;
using Xunit.Abstractions;

namespace FlashSale.Engine.Tests.Crash;

public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ChildDeadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("fs-crash");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task After_SIGKILL_under_load_every_reported_won_is_recovered_nothing_is_oversold_and_sales_go_on()
    {
        var random = new Random(4242);

        // Kill points: right after the first win; after many; at a random moment; while the journal keeps rotating.
        Func<IReadOnlyList<string>, bool>[] killPoints =
        [
            lines => Wins(lines) >= 1,
            lines => Wins(lines) >= 150,
            lines => lines.Count > 0,
            lines => Wins(lines) >= 1_500,
        ];
        var delayAfter = new[] { 0, 0, random.Next(20, 200), 0 };
        var reported = new Dictionary<string, (string User, string Item, ReservationStatus? Told)>(
            StringComparer.Ordinal);
        for (var run = 0; run < killPoints.Length; run++)
        {
            await using (var child = ChildProcess.Start(CrashChild.Verb, _dir.Path, $"run{run}"))
            {
                await child.WaitForAsync(lines => lines.Contains("ready"), ChildDeadline);
                await child.WaitForAsync(killPoints[run], ChildDeadline);

                // A deliberate kill moment, not a wait for a condition.
                if (delayAfter[run] > 0) await Task.Delay(delayAfter[run]);
                await child.KillAsync();
                Record(child.Lines, reported);
                output.WriteLine($"run {run}: killed after {Wins(child.Lines)} wins reported, {reported.Count} in all");
            }

            Assert.True(reported.Count > run, $"run {run}: the child reported no win at all");
            await AssertRecoveredAsync(reported, run);
        }

        var snapshots = Enumerable.Range(0, CrashChild.ShardCount).Sum(
            s => Directory.GetFiles(Path.Combine(_dir.Path, $"shard-{s:D3}"), "snapshot-*.snap").Length);
        Assert.True(snapshots > 0,
            "the journal never rotated under load, so recovery from a snapshot was not exercised");
    }

    /// <summary>
    /// Opens the engine on what the killed child left and checks it against everything the child reported.
    /// </summary>
    private async Task AssertRecoveredAsync(
        Dictionary<string, (string User, string Item, ReservationStatus? Told)> reported, int run)
    {
        await using var engine = FlashSaleEngine.Open(CrashChild.Options(_dir.Path));
        foreach (var (id, (user, item, told)) in reported)
        {
            var reservation = await engine.FindReservationAsync(id);
            Assert.True(reservation is not null,
                $"run {run}: reported won {id} of {user} is missing after the restart");
            Assert.Equal((CrashChild.SaleId, item, user), (reservation.SaleId, reservation.ItemId, reservation.UserId));
            if (told is { } status) Assert.Equal(status, reservation.Status);
            else Assert.NotEqual(ReservationStatus.Expired, reservation.Status);
        }

        var sale = engine.FindSale(CrashChild.SaleId)!;
        var live = await EngineProbe.AssertNothingOversoldAsync(engine, sale);
        var all = await EngineProbe.ExportAsync(engine, CrashChild.SaleId);
        Assert.Equal(all.Count, engine.GetStats(CrashChild.SaleId)!.Won);
        output.WriteLine($"run {run}: recovered {all.Count} reservations, {live.Sum()} live");
        Assert.True(live.Sum() < CrashChild.Sale.Items.Sum(i => i.Stock), "the child sold out; size the stock up");

        // Purchases go on, and what they win is as durable as the rest.
        var decision = await engine.PurchaseAsync(CrashChild.SaleId, "a", $"after-run{run}");
        Assert.Equal(Outcome.Won, decision.Outcome);
        reported.Add(decision.Reservation!.Id, ($"after-run{run}", "a", null));
    }

    private static void Record(List<string> lines,
        Dictionary<string, (string User, string Item, ReservationStatus? Told)> reported)
    {
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "won":
                    reported.Add(parts[1], (parts[2], parts[3], null));
                    break;
                case "cancelled":
                    reported[parts[1]] = reported[parts[1]] with { Told = ReservationStatus.Cancelled };
                    break;
                case "confirmed":
                    reported[parts[1]] = reported[parts[1]] with { Told = ReservationStatus.Confirmed };
                    break;
            }
        }
    }

    private static int Wins(IReadOnlyList<string> lines)
    {
        var wins = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("won ", StringComparison.Ordinal)) wins++;
        }

        return wins;
    }
}
