using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Engine.Tests.Journal;

public sealed class SnapshotTests : IDisposable
{
    private readonly TempDirectory _dir = new("fs-snap");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task After_many_segment_rotations_a_reopened_engine_has_exactly_the_state_it_had()
    {
        var time = TestSales.Clock();
        var options = new EngineOptions { DataDirectory = _dir.Path, ShardCount = 2, SegmentBytes = 4096, MaxChunk = 7 };
        string[] before;
        int[] remaining;
        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            await engine.CreateSaleAsync(TestSales.Items("a", 3, 30, ("x", 300), ("y", 40)));
            await engine.CreateSaleAsync(TestSales.Items("b", 1, 10, ("w", 60)));
            await RunMixedLoadAsync(engine, time, new Random(7), rounds: 60);
            before = await EngineProbe.DescribeAsync(engine);
            remaining = [engine.Remaining("a", 0), engine.Remaining("a", 1), engine.Remaining("b", 0)];
            await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("a")!);
        }

        for (var shard = 0; shard < 2; shard++)
        {
            var files = Directory.GetFiles(Path.Combine(_dir.Path, $"shard-{shard:D3}")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var snapshot = Assert.Single(files, f => f!.StartsWith("snapshot-", StringComparison.Ordinal))!;
            var number = int.Parse(snapshot["snapshot-".Length..^".snap".Length], CultureInfo.InvariantCulture);
            Assert.True(number >= 4, $"shard {shard} rotated only {number - 1} times");
            Assert.Equal([$"segment-{number:D8}.log", snapshot], files);
        }

        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.Equal(before, await EngineProbe.DescribeAsync(engine));
            Assert.Equal(remaining, new[] { engine.Remaining("a", 0), engine.Remaining("a", 1), engine.Remaining("b", 0) });
            await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("a")!);
            await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("b")!);

            // Decisions go on from the recovered state, and survive another restart.
            await RunMixedLoadAsync(engine, time, new Random(8), rounds: 10);
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("a", "x", "newcomer")).Outcome);
            before = await EngineProbe.DescribeAsync(engine);
        }

        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.Equal(before, await EngineProbe.DescribeAsync(engine));
        }
    }

    /// <summary>Bursts of purchases (some repeated requestIds), cancels, confirms and expiries.</summary>
    private static async Task RunMixedLoadAsync(FlashSaleEngine engine, FakeTimeProvider time, Random random, int rounds)
    {
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

            time.Advance(TimeSpan.FromMilliseconds(random.Next(3_000)));
            await engine.ExpireDueAsync();
        }
    }
}
