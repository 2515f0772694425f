using FlashSale.Core.Reservations;

namespace FlashSale.Core.Shards;

/// <summary>A reservation as a shard keeps it: the current value plus what replay and snapshots need.</summary>
internal struct ReservationEntry
{
    public Reservation Reservation;
    public int ItemIndex;
    public long Sequence;
    public string? RequestId;
    public long HoldUntilMs;
    public long StatusAtMs;
}
