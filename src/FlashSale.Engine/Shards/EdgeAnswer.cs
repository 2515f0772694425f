using FlashSale.Core.Purchases;
using FlashSale.Core.Shards;

namespace FlashSale.Engine.Shards;

/// <summary>
/// A refusal the edge answered from memory, on its way to the shard's journal: 32 bytes rather than a whole
/// <see cref="ShardEvent"/>, since a flood can queue many between two of the worker's batches.
/// </summary>
internal readonly record struct EdgeAnswer(string SaleId, AnswerKey Key, int ItemIndex, Outcome Outcome)
{
    public ShardEvent ToEvent() => ShardEvent.AnswerRemembered(SaleId, Key, ItemIndex, Outcome);
}
