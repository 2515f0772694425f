using System.Text;

namespace FlashSale.Core.Sales;

/// <summary>
/// An exact set of buyer ids sized for pre-registration lists of millions: the ids' UTF-8 bytes packed one after
/// another in one array (a length byte, then the bytes), and an open-addressing table of their offsets. Membership
/// is one hash and, on average, about one comparison: constant time, no false positives. About 4-11 bytes of table
/// plus the id's length + 1 per id, against some 60 bytes for a <c>HashSet&lt;string&gt;</c> entry with its string.
/// Not thread-safe for writers; readers may share a set that is no longer written.
/// </summary>
public sealed class BuyerIdSet
{
    /// <summary>The longest id, in UTF-8 bytes (ids are at most 128 characters, so this always fits).</summary>
    public const int MaxIdBytes = 255;

    private byte[] _arena = new byte[1024];
    private int _arenaLength;
    private int[] _slots = new int[16];
    private int _count;

    /// <summary>Ids in the set.</summary>
    public int Count => _count;

    /// <summary>Bytes held by the set's arrays.</summary>
    public long MemoryBytes => _arena.LongLength + (_slots.LongLength * sizeof(int));

    /// <summary>Adds <paramref name="id"/>; false when it was already in the set.</summary>
    /// <exception cref="ArgumentException">
    /// The id is empty or longer than <see cref="MaxIdBytes"/> in UTF-8.
    /// </exception>
    public bool Add(ReadOnlySpan<char> id)
    {
        Span<byte> utf8 = stackalloc byte[MaxIdBytes * 3];
        var length = Encode(id, utf8);
        if (length is <= 0 or > MaxIdBytes)
        {
            throw new ArgumentException("a buyer id is 1 to 255 UTF-8 bytes", nameof(id));
        }
        var bytes = utf8[..length];
        var hash = Hash(bytes);
        if (Find(bytes, hash) >= 0) return false;
        if ((_count + 1) * 4 > _slots.Length * 3) Grow();
        if (_arenaLength + 1 + length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + 1 + length));
        }
        var offset = _arenaLength;
        _arena[offset] = (byte)length;
        bytes.CopyTo(_arena.AsSpan(offset + 1));
        _arenaLength += 1 + length;
        Place(offset, hash);
        _count++;
        return true;
    }

    /// <summary>Whether <paramref name="id"/> is in the set.</summary>
    public bool Contains(ReadOnlySpan<char> id)
    {
        Span<byte> utf8 = stackalloc byte[MaxIdBytes * 3];
        var length = Encode(id, utf8);
        if (length is <= 0 or > MaxIdBytes) return false;
        return Find(utf8[..length], Hash(utf8[..length])) >= 0;
    }

    /// <summary>The ids, in the order they were added.</summary>
    public IEnumerable<string> Ids()
    {
        for (var offset = 0; offset < _arenaLength;)
        {
            var length = _arena[offset];
            yield return Encoding.UTF8.GetString(_arena, offset + 1, length);
            offset += 1 + length;
        }
    }

    /// <summary>Releases the spare room the arrays grew with; call once a set is complete.</summary>
    public void Trim() => Array.Resize(ref _arena, _arenaLength);

    private static int Encode(ReadOnlySpan<char> id, Span<byte> utf8)
    {
        if (id.IsEmpty || id.Length > MaxIdBytes) return -1;
        return Encoding.UTF8.TryGetBytes(id, utf8, out var written) ? written : -1;
    }

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a over the bytes, then a finaliser (murmur3's fmix32) so that the table's low bits are well mixed.
        var hash = 2166136261u;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        return hash ^ (hash >> 16);
    }

    private int Find(ReadOnlySpan<byte> bytes, uint hash)
    {
        var mask = _slots.Length - 1;
        for (var slot = (int)(hash & (uint)mask); ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0) return -1;
            var offset = entry - 1;
            if (_arena[offset] == bytes.Length && _arena.AsSpan(offset + 1, bytes.Length).SequenceEqual(bytes))
            {
                return offset;
            }
        }
    }

    private void Place(int offset, uint hash)
    {
        var mask = _slots.Length - 1;
        var slot = (int)(hash & (uint)mask);
        while (_slots[slot] != 0) slot = (slot + 1) & mask;
        _slots[slot] = offset + 1;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        for (var offset = 0; offset < _arenaLength;)
        {
            var length = _arena[offset];
            Place(offset, Hash(_arena.AsSpan(offset + 1, length)));
            offset += 1 + length;
        }
    }
}
