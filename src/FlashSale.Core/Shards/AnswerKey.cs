using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace FlashSale.Core.Shards;

/// <summary>
/// A buyer's requestId within a sale, as the answer index keeps it: a 128-bit hash of the user id and the requestId
/// (XxHash128, stable across processes and versions), so that a remembered refusal holds no strings.
/// </summary>
/// <param name="High">The hash's upper 64 bits.</param>
/// <param name="Low">The hash's lower 64 bits.</param>
public readonly record struct AnswerKey(ulong High, ulong Low)
{
    /// <summary>The key of <paramref name="requestId"/> sent by <paramref name="userId"/>.</summary>
    public static AnswerKey Of(string userId, string requestId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(requestId);

        // The user id's length first, so that ("ab", "c") and ("a", "bc") differ; both ids are short (128 and 64).
        Span<char> text = stackalloc char[1 + userId.Length + requestId.Length];
        text[0] = (char)userId.Length;
        userId.AsSpan().CopyTo(text[1..]);
        requestId.AsSpan().CopyTo(text[(1 + userId.Length)..]);
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes((ReadOnlySpan<char>)text));
        return new AnswerKey((ulong)(hash >> 64), (ulong)hash);
    }

    /// <inheritdoc/>
    public bool Equals(AnswerKey other) => High == other.High && Low == other.Low;

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Low;
}
