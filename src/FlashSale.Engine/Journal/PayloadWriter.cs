using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FlashSale.Engine.Journal;

/// <summary>Writes the fields of a record payload: little-endian integers, varints and length-prefixed UTF-8.</summary>
internal static class PayloadWriter
{
    public static void Byte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    public static void Int64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public static void VarUInt(ArrayBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        buffer.Advance(i);
    }

    /// <summary>A string as varint(byteCount + 1) then UTF-8; 0 stands for null.</summary>
    public static void String(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            VarUInt(buffer, 0);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        VarUInt(buffer, (ulong)count + 1);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(count)));
    }

    public static void Decimal(ArrayBufferWriter<byte> buffer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        foreach (var part in bits) Int64(buffer, part);
    }
}
