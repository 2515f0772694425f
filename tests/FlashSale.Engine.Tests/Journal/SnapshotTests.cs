using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

public sealed class SnapshotTests
{
    [Fact]
    public async Task After_many_segment_rotations_a_reopened_engine_has_exactly_the_state_it_had()
    {
        await using var harness = new EngineHarness(2, static o =>
        {
            o.SegmentBytes = 4096;
            o.MaxChunk = 7;
        }, "fs-snap");
        var engine = await harness.OpenWithAsync(
            TestSales.Items("a", 3, 30, ("x", 300), ("y", 40)),
            TestSales.Items("b", 1, 10, ("w", 60)));
        await RunMixedLoadAsync(harness, new Random(7), rounds: 60);
        var before = await EngineProbe.DescribeAsync(engine);
        int[] remaining = [engine.Remaining("a", 0), engine.Remaining("a", 1), engine.Remaining("b", 0)];
        await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("a")!);
        await harness.CloseAsync();

        for (var shard = 0; shard < 2; shard++)
        {
            var files = Directory.GetFiles(Path.Combine(harness.Options.DataDirectory, $"shard-{shard:D3}"))
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal)
                .ToList();
            var snapshot = Assert.Single(files, f => f!.StartsWith("snapshot-", StringComparison.Ordinal))!;
            var number = int.Parse(snapshot["snapshot-".Length..^".snap".Length], CultureInfo.InvariantCulture);
            Assert.True(number >= 4, $"shard {shard} rotated only {number - 1} times");
            Assert.Equal([$"segment-{number:D8}.log", snapshot], files);
        }

        engine = harness.Open();
        Assert.Equal(before, await EngineProbe.DescribeAsync(engine));
        Assert.Equal(remaining, new[] { engine.Remaining("a", 0), engine.Remaining("a", 1), engine.Remaining("b", 0) });
        await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("a")!);
        await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("b")!);

        // Decisions go on from the recovered state, and survive another restart.
        await RunMixedLoadAsync(harness, new Random(8), rounds: 10);
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("a", "x", "newcomer")).Outcome);
        before = await EngineProbe.DescribeAsync(engine);

        engine = await harness.RestartAsync();
        Assert.Equal(before, await EngineProbe.DescribeAsync(engine));
    }

    /// <summary>Bursts of purchases (some repeated requestIds), cancels, confirms and expiries.</summary>
    private static async Task RunMixedLoadAsync(EngineHarness harness, Random random, int rounds)
    {
        var engine = harness.Engine;
        var won = new List<Reservation>();
        for (var round = 0; round < rounds; round++)
        {
            var burst = Enumerable.Range(0, 12).Select(_ =>
            {
                var (sale, item) = random.Next(3) switch { 0 => ("a", "x"), 1 => ("a", "y"), _ => ("b", "w") };
                var user = "u" + random.Next(150).ToString(CultureInfo.InvariantCulture);
                var request = random.Next(3) == 0 ? null : "r" + random.Next(4).ToString(CultureInfo.InvariantCulture);
                return engine.PurchaseAsync(sale, item, user, request).AsTask();
            });
            foreach (var decision in await Task.WhenAll(burst))
            {
                Assert.NotEqual(Outcome.Busy, decision.Outcome);
                if (decision.Reservation is { } reservation) won.Add(reservation);
            }

            if (won.Count > 0)
            {
                await engine.CancelAsync(won[random.Next(won.Count)].Id);
                await engine.ConfirmAsync(won[random.Next(won.Count)].Id);
            }

            harness.Time.Advance(TimeSpan.FromMilliseconds(random.Next(3_000)));
            await harness.ExpireDueAsync();
        }
    }
}
