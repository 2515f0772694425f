using FlashSale.Engine.Shards;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

/// <summary>
/// A rotation writes the snapshot (as a .tmp, then renamed), creates the next segment, then deletes the old files: a
/// crash can stop it anywhere.
/// </summary>
public sealed class RotationCrashTests
{
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
        await using var harness = new EngineHarness(1, prefix: "fs-rotate");
        var data = harness.Options.DataDirectory;
        string before;
        byte[] snapshot;
        {
            var engine = await harness.OpenWithAsync(TestSales.OneItem("s", 50));
            for (var i = 0; i < 30; i++)
                await engine.PurchaseAsync("s", "phone", $"buyer-{i}", i % 3 == 0 ? "r" : null);
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
            await harness.CloseAsync();
        }

        var shardDirectory = Path.Combine(data, "shard-000");
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
                await File.WriteAllBytesAsync(JournalFile.ShardSegment(data, 0, segment: 2), []);
                break;
        }

        {
            var engine = harness.Open();
            Assert.Equal(before, (await EngineProbe.DescribeAsync(engine))[0]);
            var expected = stage == Stage.SnapshotHalfWritten
                ? new[] { "segment-00000001.log" }
                : ["segment-00000002.log", "snapshot-00000002.snap"];
            Assert.Equal(expected,
                Directory.GetFiles(shardDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            await engine.PurchaseAsync("s", "phone", "after");
            before = (await EngineProbe.DescribeAsync(engine))[0];
        }

        Assert.Equal(before, (await EngineProbe.DescribeAsync(await harness.RestartAsync()))[0]);
    }
}
