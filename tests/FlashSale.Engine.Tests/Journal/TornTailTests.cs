using FlashSale.Core.Purchases;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

public sealed class TornTailTests : IDisposable
{
    private const int TornRecords = 3;
    private readonly TempDirectory _dir = new("fs-torn");
    private readonly string _catalog;
    private readonly string _segment;

    public TornTailTests()
    {
        _catalog = _dir.Sub("catalog.log");
        _segment = _dir.Sub("shard-000.log");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_last_segment_cut_at_any_byte_of_its_last_records_recovers_to_a_prefix_of_its_decisions()
    {
        var (segment, states) = await WriteJournalAsync();
        var records = JournalFile.Records(segment);
        var firstCut = records[^TornRecords].Offset;
        for (var cut = firstCut; cut < segment.Length; cut++)
        {
            var whole = records.Count(r => r.Offset + r.Size <= cut);
            await AssertRecoversToAsync(segment[..cut], states[whole],
                records[whole - 1].Offset + records[whole - 1].Size, $"cut at {cut}");
        }
    }

    [Fact]
    public async Task A_last_segment_whose_unsynced_tail_reads_back_as_zeros_recovers_to_a_prefix_of_its_decisions()
    {
        // A power cut can leave the file its full length with the pages that never reached the disk read as zeros.
        var (segment, states) = await WriteJournalAsync();
        var records = JournalFile.Records(segment);
        for (var from = records[^TornRecords].Offset; from < segment.Length; from++)
        {
            var damaged = (byte[])segment.Clone();
            Array.Clear(damaged, from, damaged.Length - from);
            // A record whose own bytes from there on were zeros anyway is still whole.
            var whole = records.Count(r => r.Offset + r.Size <= from
                || (r.Offset < from && !segment.AsSpan(from, r.Offset + r.Size - from).ContainsAnyExcept((byte)0)));
            await AssertRecoversToAsync(damaged, states[whole], records[whole - 1].Offset + records[whole - 1].Size,
                $"zeros from {from}");
        }

        var extended = new byte[segment.Length + 4096];
        segment.CopyTo(extended, 0);
        await AssertRecoversToAsync(extended, states[^1], segment.Length, "zeros after the last record");
    }

    /// <summary>
    /// A one-shard journal of varied decisions (wins, a remembered sold_out, confirm, expiries, cancel), all in one
    /// segment. Returns the segment's bytes and the shard's state after each of its records.
    /// </summary>
    private async Task<(byte[] Segment, List<string> States)> WriteJournalAsync()
    {
        string live;
        await using (var harness = new EngineHarness(1, static o => o.MaxChunk = 2, "fs-torn-source"))
        {
            var time = harness.Time;
            var engine = harness.Open();
            await engine.CreateSaleAsync(TestSales.OneItem("s", 6, holdSeconds: 60));
            var won = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                won.Add(
                (await engine.PurchaseAsync("s", "phone", $"buyer-{i}", i % 2 == 0 ? $"r{i}" : null)).Reservation!.Id);
            }

            Assert.Equal(Outcome.SoldOut, (await engine.PurchaseAsync("s", "phone", "buyer-6", "r6")).Outcome);
            await engine.ConfirmAsync(won[0]);
            time.Advance(TimeSpan.FromSeconds(61));
            await harness.ExpireDueAsync();
            var late = await engine.PurchaseAsync("s", "phone", "buyer-7", "r7");
            Assert.Equal(Outcome.Won, late.Outcome);
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "buyer-8")).Outcome);
            await engine.CancelAsync(late.Reservation!.Id);
            live = (await EngineProbe.DescribeAsync(engine))[0];
            await harness.CloseAsync();
            File.Copy(JournalFile.CatalogSegment(harness.Options.DataDirectory), _catalog);
            File.Copy(JournalFile.ShardSegment(harness.Options.DataDirectory, 0), _segment);
        }

        var segment = await File.ReadAllBytesAsync(_segment);
        var states = JournalFile.PrefixStates(segment, 0);
        Assert.Equal(live, states[^1]);
        Assert.True(JournalFile.Records(segment).Count > TornRecords + 5);
        return (segment, states);
    }

    /// <summary>
    /// Puts <paramref name="segment"/> in place of the journal, opens the engine on it, and checks the state, the cut,
    /// the stock, and that a new decision made on top survives a restart.
    /// </summary>
    private async Task AssertRecoversToAsync(byte[] segment, string expectedState, int goodLength, string because)
    {
        var data = _dir.Sub("work");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        Directory.CreateDirectory(Path.Combine(data, "catalog"));
        Directory.CreateDirectory(Path.Combine(data, "shard-000"));
        File.Copy(_catalog, JournalFile.CatalogSegment(data));
        var path = JournalFile.ShardSegment(data, 0);
        await File.WriteAllBytesAsync(path, segment);

        var time = TestSales.Clock();
        string after;
        await using (var engine = FlashSaleEngine.Open(Options(data), time))
        {
            Assert.True(expectedState == (await EngineProbe.DescribeAsync(engine))[0], because);
            Assert.True(goodLength == new FileInfo(path).Length, $"{because}: tail not cut to the last good record");
            await EngineProbe.AssertNothingOversoldAsync(engine, engine.FindSale("s")!);
            var decision = await engine.PurchaseAsync("s", "phone", "after-recovery", "rx");
            Assert.True(decision.Outcome is Outcome.Won or Outcome.SoldOut, $"{because}: {decision.Outcome}");
            after = (await EngineProbe.DescribeAsync(engine))[0];
        }

        await using (var engine = FlashSaleEngine.Open(Options(data), time))
        {
            Assert.True(after == (await EngineProbe.DescribeAsync(engine))[0],
                $"{because}: the decision made after recovery was lost");
        }
    }

    private static EngineOptions Options(string data) => new() { DataDirectory = data, ShardCount = 1, MaxChunk = 2 };
}
