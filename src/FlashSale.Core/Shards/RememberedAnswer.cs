using FlashSale.Core.Purchases;

namespace FlashSale.Core.Shards;

/// <summary>
/// The first answer to a (sale, buyer, requestId), and the item it was for: packed into 32 bits so that the answer
/// index holds no references (the GC never scans it). A <c>won</c>'s reservation is found through the buyer's
/// reservations, which keep their requestIds.
/// </summary>
/// <param name="Outcome">
/// The answer: <see cref="Outcome.Won"/>, <see cref="Outcome.SoldOut"/> or <see cref="Outcome.LimitReached"/>; the
/// default (0) while the buyer's shard is deciding it.
/// </param>
/// <param name="ItemIndex">
/// The item the answer was for; <see cref="ShardEvent.AnyItem"/> for an answer journaled before answers named their
/// item, which (as then) answers a repeat for any item.
/// </param>
public readonly record struct RememberedAnswer(Outcome Outcome, int ItemIndex)
{
    /// <summary>The mark a shard puts on a key while it decides it: nobody else answers that key meanwhile.</summary>
    public static RememberedAnswer Deciding(int itemIndex) => new(0, itemIndex);

    /// <summary>True once decided (not <see cref="Deciding"/>).</summary>
    public bool IsDecided => Outcome != 0;

    /// <summary>True when the answer was for <paramref name="itemIndex"/> (or for an unrecorded item).</summary>
    public bool IsFor(int itemIndex) => ItemIndex == ShardEvent.AnyItem || ItemIndex == itemIndex;

    internal int Pack() => (int)Outcome | ((ItemIndex + 1) << 8);

    internal static RememberedAnswer Unpack(int packed) => new((Outcome)(packed & 0xFF), (packed >> 8) - 1);
}
