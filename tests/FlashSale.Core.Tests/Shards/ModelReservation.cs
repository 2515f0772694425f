using FlashSale.Core.Reservations;

namespace FlashSale.Core.Tests.Shards;

/// <summary>What the test expects of one reservation, kept beside the state machine's own view.</summary>
public sealed class ModelReservation(Reservation won, int shard, int saleIndex, int itemIndex)
{
    public Reservation Won { get; } = won;

    public int Shard { get; } = shard;

    public int SaleIndex { get; } = saleIndex;

    public int ItemIndex { get; } = itemIndex;

    public long HoldUntilMs { get; } = won.HoldUntil.ToUnixTimeMilliseconds();

    public ReservationStatus Status { get; set; } = ReservationStatus.Held;

    public bool IsLive => Status is ReservationStatus.Held or ReservationStatus.Confirmed;
}
