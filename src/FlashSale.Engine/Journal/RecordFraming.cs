using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace FlashSale.Engine.Journal;

/// <summary>
/// The on-disk frame of one record: <c>[u32 length][u32 crc32(payload)][u32 crc32(first 8 bytes)]</c> then the
/// payload. The header has its own checksum so a damaged length is told apart from a torn tail.
/// </summary>
internal static class RecordFraming
{
    public const int HeaderSize = 12;
    public const int MaxPayload = 1 << 20;

    /// <summary>Starts a record: reserves its header. Call <see cref="Seal"/> after writing the payload.</summary>
    public static int Begin(ArrayBufferWriter<byte> buffer)
    {
        var start = buffer.WrittenCount;
        buffer.GetSpan(HeaderSize);
        buffer.Advance(HeaderSize);
        return start;
    }

    /// <summary>Fills in the header of the record that began at <paramref name="start"/>.</summary>
    public static void Seal(ArrayBufferWriter<byte> buffer, int start)
    {
        // WrittenSpan is read-only; the header bytes were reserved by us, so writing them through the array is safe.
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;
        var payload = written[(start + HeaderSize)..];

        // Replay refuses a length over MaxPayload as a damaged header: a record that large must never be written.
        if (payload.Length > MaxPayload)
        {
            throw new InvalidOperationException(
                $"a journal record of {payload.Length} bytes exceeds the {MaxPayload}-byte limit");
        }

        var header = written.Slice(start, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32.HashToUInt32(header[..8]));
    }

    /// <summary>What <see cref="TryRead"/> found at an offset.</summary>
    public enum ReadStatus
    {
        Ok,
        /// <summary>Fewer bytes than a header remain.</summary>
        ShortHeader,
        /// <summary>The header fails its checksum.</summary>
        BadHeader,
        /// <summary>The header is sound but the payload runs past the end.</summary>
        ShortPayload,
        /// <summary>The payload fails its checksum.</summary>
        BadPayload,
    }

    /// <summary>Reads the record at the start of <paramref name="data"/>.</summary>
    public static ReadStatus TryRead(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> payload, out int recordSize)
    {
        payload = default;
        recordSize = 0;
        if (data.Length < HeaderSize) return ReadStatus.ShortHeader;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (Crc32.HashToUInt32(data[..8]) != headerCrc || length > MaxPayload) return ReadStatus.BadHeader;
        if (data.Length - HeaderSize < length) return ReadStatus.ShortPayload;
        payload = data.Slice(HeaderSize, (int)length);
        recordSize = HeaderSize + (int)length;
        return Crc32.HashToUInt32(payload) == payloadCrc ? ReadStatus.Ok : ReadStatus.BadPayload;
    }
}
