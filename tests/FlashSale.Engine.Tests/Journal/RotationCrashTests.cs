using FlashSale.Engine.Shards;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

/// <summary>A rotation writes the snapshot (as a .tmp, then renamed), creates the next segment, then deletes the old files: a crash can stop it anywhere.</summary>
public sealed class RotationCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new("fs-rotate");

    public void Dispose() => _dir.Dispose();

    public enum Stage
    {
        SnapshotHalfWritten,
        SnapshotRenamed,
        NextSegmentCreated,
    }

    [Theory]
    [InlineData(Stage.SnapshotHalfWritten)]
    [InlineData(Stage.SnapshotRenamed)]
    [InlineData(Stage.NextSegmentCreated)]
    public async Task A_crash_at_any_stage_of_a_rotation_recovers_the_same_state(Stage stage)
    {
        var time = TestSales.Clock();
        var options = new EngineOptions { DataDirectory = _dir.Path, ShardCount = 1 };
        string before;
        byte[] snapshot;
        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            await engine.CreateSaleAsync(TestSales.OneItem("s", 50));
            for (var i = 0; i < 30; i++) await engine.PurchaseAsync("s", "phone", $"buyer-{i}", i % 3 == 0 ? "r" : null);
            await engine.CancelAsync("0-3");
            before = (await EngineProbe.DescribeAsync(engine))[0];
            snapshot = await engine.Shard(0).Run(static worker =>
            {
                using var stream = new MemoryStream();
                var sink = new SnapshotSink(stream);
                worker.State.WriteSnapshot(sink);
                sink.Finish();
                return stream.ToArray();
            });
        }

        var shardDirectory = Path.Combine(_dir.Path, "shard-000");
        var next = Path.Combine(shardDirectory, "snapshot-00000002.snap");
        switch (stage)
        {
            case Stage.SnapshotHalfWritten:
                await File.WriteAllBytesAsync(next + ".tmp", snapshot[..(snapshot.Length / 2)]);
                break;
            case Stage.SnapshotRenamed:
                await File.WriteAllBytesAsync(next, snapshot);
                break;
            case Stage.NextSegmentCreated:
                await File.WriteAllBytesAsync(next, snapshot);
                await File.WriteAllBytesAsync(JournalFile.ShardSegment(_dir.Path, 0, segment: 2), []);
                break;
        }

        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.Equal(before, (await EngineProbe.DescribeAsync(engine))[0]);
            var expected = stage == Stage.SnapshotHalfWritten
                ? new[] { "segment-00000001.log" }
                : ["segment-00000002.log", "snapshot-00000002.snap"];
            Assert.Equal(expected, Directory.GetFiles(shardDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            await engine.PurchaseAsync("s", "phone", "after");
            before = (await EngineProbe.DescribeAsync(engine))[0];
        }

        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.Equal(before, (await EngineProbe.DescribeAsync(engine))[0]);
        }
    }
}
