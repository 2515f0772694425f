namespace FlashSale.Core.Reservations;

/// <summary>Life of a reservation: held until confirmed, cancelled or expired.</summary>
public enum ReservationStatus : byte
{
    /// <summary>Waiting for the main store to confirm, until <c>holdUntil</c>.</summary>
    Held = 1,

    /// <summary>The store placed the order; the unit is sold.</summary>
    Confirmed = 2,

    /// <summary>Cancelled by the store; the unit went back on sale.</summary>
    Cancelled = 3,

    /// <summary>Not confirmed in time; the unit went back on sale.</summary>
    Expired = 4,
}
