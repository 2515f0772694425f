using FlashSale.Core.Purchases;
using FlashSale.Engine.Journal;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

public sealed class CorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new("fs-corrupt");

    public void Dispose() => _dir.Dispose();

    public enum Place
    {
        Payload,
        Length,
        HeaderChecksum,
    }

    [Theory]
    [InlineData(Place.Payload)]
    [InlineData(Place.Length)]
    [InlineData(Place.HeaderChecksum)]
    public async Task A_damaged_early_record_of_a_shard_journal_stops_the_engine_naming_file_and_offset(Place place)
    {
        await WriteJournalAsync(new EngineOptions { DataDirectory = _dir.Path, ShardCount = 1 });
        await AssertRefusedAsync(JournalFile.ShardSegment(_dir.Path, 0), record: 2, place);
    }

    [Theory]
    [InlineData(Place.Payload)]
    [InlineData(Place.Length)]
    public async Task A_damaged_record_of_the_catalog_stops_the_engine_naming_file_and_offset(Place place)
    {
        await WriteJournalAsync(new EngineOptions { DataDirectory = _dir.Path, ShardCount = 1 });
        await AssertRefusedAsync(JournalFile.CatalogSegment(_dir.Path), record: 1, place);
    }

    [Fact]
    public async Task A_damaged_snapshot_stops_the_engine_naming_file_and_offset()
    {
        await WriteJournalAsync(new EngineOptions { DataDirectory = _dir.Path, ShardCount = 1, SegmentBytes = 4096 });
        var snapshot = Directory.GetFiles(Path.Combine(_dir.Path, "shard-000"), "snapshot-*.snap").Single();
        await AssertRefusedAsync(snapshot, record: 3, Place.Payload);
    }

    private static async Task WriteJournalAsync(EngineOptions options)
    {
        await using var engine = FlashSaleEngine.Open(options, TestSales.Clock());
        await engine.CreateSaleAsync(TestSales.OneItem("s", 200, holdSeconds: 60));
        await engine.CreateSaleAsync(TestSales.OneItem("t", 5));
        for (var i = 0; i < 80; i++)
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", $"buyer-{i}", "r")).Outcome);
    }

    /// <summary>
    /// Flips one byte of record number <paramref name="record"/> (one with good records after it); opening must throw
    /// <see cref="JournalCorruptException"/> naming the file and the record's offset, and must leave the file as it
    /// was.
    /// With the byte restored, the engine opens again.
    /// </summary>
    private async Task AssertRefusedAsync(string path, int record, Place place)
    {
        var original = await File.ReadAllBytesAsync(path);
        var records = JournalFile.Records(original);
        Assert.True(records.Count > record + 1, $"{path} has only {records.Count} records");
        var (offset, size) = records[record];
        var at = offset + place switch { Place.Payload => size - 3, Place.Length => 0, _ => 9 };
        var damaged = (byte[])original.Clone();
        damaged[at] ^= 0x10;
        await File.WriteAllBytesAsync(path, damaged);

        var error = Assert.Throws<JournalCorruptException>(() => FlashSaleEngine.Open(
            new EngineOptions { DataDirectory = _dir.Path, ShardCount = 1 }, TestSales.Clock()));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(offset, error.Offset);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"offset {offset}", error.Message, StringComparison.Ordinal);
        Assert.Equal(damaged, await File.ReadAllBytesAsync(path));

        await File.WriteAllBytesAsync(path, original);
        await using var engine = FlashSaleEngine.Open(new EngineOptions { DataDirectory = _dir.Path, ShardCount = 1 },
            TestSales.Clock());
        Assert.Equal(120, engine.Remaining("s", 0));
    }
}
