using FlashSale.Core.Shards;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Tests.Support;

/// <summary>Reads a journal segment the way recovery does, record by record, for tests that damage it.</summary>
public static class JournalFile
{
    /// <summary>The offset and size of every whole record in <paramref name="data"/>.</summary>
    public static List<(int Offset, int Size)> Records(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var records = new List<(int, int)>();
        var offset = 0;
        while (offset < data.Length)
        {
            Assert.Equal(RecordFraming.ReadStatus.Ok, RecordFraming.TryRead(data.AsSpan(offset), out _, out var size));
            records.Add((offset, size));
            offset += size;
        }

        return records;
    }

    /// <summary>
    /// <c>Describe()</c> of shard <paramref name="shard"/> after replaying the first k records of a segment that
    /// starts from an empty state, for every k from 0 to the number of records.
    /// </summary>
    public static List<string> PrefixStates(byte[] data, int shard)
    {
        ArgumentNullException.ThrowIfNull(data);
        var state = new ShardState(shard);
        var states = new List<string> { state.Describe() };
        foreach (var (offset, size) in Records(data))
        {
            state.Apply(
                ShardEventCodec.Read(data.AsSpan(offset + RecordFraming.HeaderSize, size - RecordFraming.HeaderSize)));
            states.Add(state.Describe());
        }

        return states;
    }

    public static string ShardSegment(string dataDirectory, int shard, int segment = 1) =>
        Path.Combine(dataDirectory, $"shard-{shard:D3}", $"segment-{segment:D8}.log");

    public static string CatalogSegment(string dataDirectory) =>
        Path.Combine(dataDirectory, "catalog", "segment-00000001.log");
}
