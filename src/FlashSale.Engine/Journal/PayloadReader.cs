using System.Buffers.Binary;
using System.Text;

namespace FlashSale.Engine.Journal;

/// <summary>
/// Reads what <see cref="PayloadWriter"/> wrote; throws <see cref="InvalidDataException"/> on a short or malformed
/// payload.
/// </summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _data = data;

    public readonly bool AtEnd => _data.IsEmpty;

    public byte Byte()
    {
        if (_data.IsEmpty) throw new InvalidDataException("payload too short");
        var value = _data[0];
        _data = _data[1..];
        return value;
    }

    public long Int64()
    {
        if (_data.Length < 8) throw new InvalidDataException("payload too short");
        var value = BinaryPrimitives.ReadInt64LittleEndian(_data);
        _data = _data[8..];
        return value;
    }

    public ulong VarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }

        throw new InvalidDataException("varint too long");
    }

    public int VarInt32()
    {
        var value = VarUInt();
        if (value > int.MaxValue) throw new InvalidDataException("value out of range");
        return (int)value;
    }

    public string? String()
    {
        var prefix = VarUInt();
        if (prefix == 0) return null;
        var count = prefix - 1;
        if (count > (ulong)_data.Length) throw new InvalidDataException("string runs past the payload");
        var value = Encoding.UTF8.GetString(_data[..(int)count]);
        _data = _data[(int)count..];
        return value;
    }

    public string RequiredString() => String() ?? throw new InvalidDataException("missing string");

    public decimal Decimal()
    {
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++) bits[i] = checked((int)Int64());
        return new decimal(bits);
    }
}
