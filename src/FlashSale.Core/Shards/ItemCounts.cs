namespace FlashSale.Core.Shards;

/// <summary>One item's unit counters on one shard. Invariant: <c>Local + Held + Confirmed == NetTaken</c>.</summary>
/// <param name="Local">Units in the shard, not yet sold.</param>
/// <param name="Held">Units held by live reservations.</param>
/// <param name="Confirmed">Units sold (confirmed reservations).</param>
/// <param name="NetTaken">Units taken from the pool minus units given back.</param>
/// <param name="Made">Reservations ever made of the item.</param>
public readonly record struct ItemCounts(int Local, int Held, int Confirmed, int NetTaken, int Made);
