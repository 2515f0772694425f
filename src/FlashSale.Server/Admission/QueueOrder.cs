using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Server.Admission;

/// <summary>
/// The waiting room's order. A pre-queue ticket's place is drawn from the sale's journaled seed and the buyer's id
/// alone (SHA-256 of both, a uniform random key), so the order of the pre-queue is a seeded shuffle that does not
/// depend on who arrived first, can be recomputed by anyone who knows the seed, and survives a restart. Later
/// arrivals follow in arrival order (the draw breaks ties within a millisecond).
/// </summary>
internal static class QueueOrder
{
    /// <summary><see cref="Compare"/> as a comparer.</summary>
    public static readonly IComparer<QueueEntry> Comparer = Comparer<QueueEntry>.Create(Compare);

    /// <summary>The buyer's draw under <paramref name="seed"/>.</summary>
    public static ulong Draw(long seed, string userId)
    {
        Span<byte> input = stackalloc byte[8 + (userId.Length * 3)];
        BinaryPrimitives.WriteInt64LittleEndian(input, seed);
        var length = 8 + Encoding.UTF8.GetBytes(userId, input[8..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>Orders the pre-queue before later arrivals, the pre-queue by draw, the rest by arrival.</summary>
    public static int Compare(QueueEntry a, QueueEntry b)
    {
        if (a.Early != b.Early) return a.Early ? -1 : 1;
        if (!a.Early && a.ArrivalMs != b.ArrivalMs) return a.ArrivalMs.CompareTo(b.ArrivalMs);
        var draw = a.Draw.CompareTo(b.Draw);
        return draw != 0 ? draw : string.CompareOrdinal(a.UserId, b.UserId);
    }

    /// <summary>
    /// The pre-queue's buyers in their admission order: what an auditor recomputes from the seed and the ticket
    /// holders.
    /// </summary>
    public static List<string> Shuffle(long seed, IEnumerable<string> userIds)
    {
        var entries = userIds.Select(user => new QueueEntry(user, early: true, 0, Draw(seed, user))).ToList();
        entries.Sort(Compare);
        return entries.ConvertAll(entry => entry.UserId);
    }
}
