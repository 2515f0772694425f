using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace FlashSale.Engine.Journal;

/// <summary>
/// An append-only journal in one directory: numbered segment files (<c>segment-00000001.log</c>) and snapshots
/// (<c>snapshot-00000002.snap</c>, the whole state before segment 2). Opening it replays the newest snapshot and
/// the segments after it, cuts a torn tail off the last segment, and refuses corruption anywhere else.
/// </summary>
internal sealed class SegmentJournal : IDisposable
{
    /// <summary>Receives one record payload during replay.</summary>
    public delegate void RecordHandler(ReadOnlySpan<byte> payload);

    private readonly string _directory;
    private SafeFileHandle _handle;
    private long _length;
    private int _segment;

    private SegmentJournal(string directory, SafeFileHandle handle, long length, int segment)
    {
        _directory = directory;
        _handle = handle;
        _length = length;
        _segment = segment;
    }

    /// <summary>Bytes in the current segment.</summary>
    public long SegmentLength => _length;

    /// <summary>
    /// Opens (creating if needed) the journal in <paramref name="directory"/>, replaying every record into
    /// <paramref name="onRecord"/>.
    /// </summary>
    public static SegmentJournal Open(string directory, RecordHandler onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        Directory.CreateDirectory(directory);
        foreach (var leftover in Directory.GetFiles(directory, "*.tmp")) File.Delete(leftover);

        var snapshots = Numbered(directory, "snapshot-", ".snap");
        var first = 1;
        if (snapshots.Count > 0)
        {
            first = snapshots[^1];
            Replay(SnapshotPath(directory, first), onRecord, isLast: false);
        }

        var segments = Numbered(directory, "segment-", ".log");
        foreach (var old in segments.Where(s => s < first)) File.Delete(SegmentFile(directory, old));
        foreach (var old in snapshots.Where(s => s < first)) File.Delete(SnapshotPath(directory, old));
        segments.RemoveAll(s => s < first);
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i] != first + i)
            {
                throw new JournalCorruptException(SegmentFile(directory, first + i), 0, "segment file missing");
            }
        }

        long length = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            length = Replay(SegmentFile(directory, segments[i]), onRecord, isLast: i == segments.Count - 1);
        }

        var segment = segments.Count > 0 ? segments[^1] : first;
        var path = SegmentFile(directory, segment);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (RandomAccess.GetLength(handle) != length)
        {
            // Cut the torn tail so new records follow the last good one.
            RandomAccess.SetLength(handle, length);
            RandomAccess.FlushToDisk(handle);
        }

        if (segments.Count == 0) DirectorySync.Sync(directory);
        return new SegmentJournal(directory, handle, length, segment);
    }

    /// <summary>
    /// Appends bytes (whole framed records) to the current segment. Not durable until <see cref="Flush"/>.
    /// </summary>
    public void Write(ReadOnlySpan<byte> records)
    {
        RandomAccess.Write(_handle, records, _length);
        _length += records.Length;
    }

    /// <summary>fsync: everything written so far is on disk when this returns.</summary>
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    /// <summary>
    /// Writes a snapshot of the whole state (through <paramref name="writeSnapshot"/>, as framed records), then
    /// starts a new segment and deletes what the snapshot made redundant. Call only with everything written.
    /// </summary>
    public void Rotate(Action<Stream> writeSnapshot)
    {
        ArgumentNullException.ThrowIfNull(writeSnapshot);
        Flush();
        var next = _segment + 1;
        var final = SnapshotPath(_directory, next);
        var temporary = final + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            writeSnapshot(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, final, overwrite: true);
        var path = SegmentFile(_directory, next);
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        DirectorySync.Sync(_directory);
        _handle.Dispose();
        (_handle, _length, _segment) = (handle, 0, next);
        foreach (var old in Numbered(_directory, "segment-", ".log").Where(s => s < next))
        {
            File.Delete(SegmentFile(_directory, old));
        }

        foreach (var old in Numbered(_directory, "snapshot-", ".snap").Where(s => s < next))
        {
            File.Delete(SnapshotPath(_directory, old));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// Replays one file; returns the length of its good prefix. Only the last segment may have a torn tail.
    /// </summary>
    private static long Replay(string path, RecordHandler onRecord, bool isLast)
    {
        var data = File.ReadAllBytes(path);
        var offset = 0;
        while (offset < data.Length)
        {
            var rest = data.AsSpan(offset);
            var status = RecordFraming.TryRead(rest, out var payload, out var size);
            if (status != RecordFraming.ReadStatus.Ok)
            {
                // A torn tail is a record cut short, or one whose unsynced pages read back as zeros (a power cut can
                // leave the file its full length): nothing but zeros after the bad record's own bytes. Anything else is
                // corruption, since a good record follows the bad one.
                var torn = isLast && status switch
                {
                    RecordFraming.ReadStatus.ShortHeader or RecordFraming.ReadStatus.ShortPayload => true,
                    RecordFraming.ReadStatus.BadHeader => rest.LastIndexOfAnyExcept((byte)0) < RecordFraming.HeaderSize,
                    RecordFraming.ReadStatus.BadPayload => rest.LastIndexOfAnyExcept((byte)0) < size,
                    _ => false,
                };
                if (torn) return offset;
                throw new JournalCorruptException(path, offset, Describe(status));
            }

            try
            {
                onRecord(payload);
            }
            catch (InvalidDataException e)
            {
                throw new JournalCorruptException(path, offset, e.Message);
            }

            offset += size;
        }

        return offset;
    }

    private static string Describe(RecordFraming.ReadStatus status) => status switch
    {
        RecordFraming.ReadStatus.ShortHeader => "record header cut short",
        RecordFraming.ReadStatus.BadHeader => "record header fails its checksum",
        RecordFraming.ReadStatus.ShortPayload => "record runs past the end of the file",
        _ => "record fails its checksum",
    };

    private static List<int> Numbered(string directory, string prefix, string suffix)
    {
        var numbers = new List<int>();
        foreach (var file in Directory.EnumerateFiles(directory, prefix + "*" + suffix))
        {
            var name = Path.GetFileName(file);
            if (int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length), NumberStyles.None,
                CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
        }

        numbers.Sort();
        return numbers;
    }

    private static string SegmentFile(string directory, int n) => Path.Combine(directory, $"segment-{n:D8}.log");

    private static string SnapshotPath(string directory, int n) => Path.Combine(directory, $"snapshot-{n:D8}.snap");
}
