namespace FlashSale.Core.Shards;

/// <summary>
/// One buyer in one sale on this shard: live reservations (held or confirmed) and all reservation indexes.
/// </summary>
internal sealed class BuyerState
{
    public int Live;
    public readonly List<int> Reservations = new(1);
}
