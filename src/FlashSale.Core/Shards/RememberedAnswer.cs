using FlashSale.Core.Purchases;

namespace FlashSale.Core.Shards;

/// <summary>The first answer to a (sale, buyer, requestId), and the item it was for.</summary>
/// <param name="ItemIndex">
/// The item the answer was for; <see cref="ShardEvent.AnyItem"/> for an answer journaled before answers named their
/// item, which (as then) answers a repeat for any item.
/// </param>
/// <param name="Decision">The answer.</param>
internal readonly record struct RememberedAnswer(int ItemIndex, Decision Decision)
{
    /// <summary>True when the answer was for <paramref name="itemIndex"/> (or for an unrecorded item).</summary>
    public bool IsFor(int itemIndex) => ItemIndex == ShardEvent.AnyItem || ItemIndex == itemIndex;
}
