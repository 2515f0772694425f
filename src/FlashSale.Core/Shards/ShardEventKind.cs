namespace FlashSale.Core.Shards;

/// <summary>The kinds of state change a shard records. Values are stored in the journal: never renumber.</summary>
public enum ShardEventKind : byte
{
    /// <summary>Units moved from the item's pool into this shard.</summary>
    StockTaken = 1,

    /// <summary>Units moved from this shard back to the item's pool.</summary>
    StockReturned = 2,

    /// <summary>A buyer won a unit; a reservation is held.</summary>
    ReservationMade = 3,

    /// <summary>A decision that took nothing (sold_out, limit_reached) remembered for its requestId.</summary>
    AttemptAnswered = 4,

    /// <summary>The store confirmed a reservation.</summary>
    ReservationConfirmed = 5,

    /// <summary>The store cancelled a reservation; its unit went back to the pool.</summary>
    ReservationCancelled = 6,

    /// <summary>A hold expired; its unit went back to the pool.</summary>
    ReservationExpired = 7,

    /// <summary>
    /// A decision that took nothing (sold_out, limit_reached) remembered under its <see cref="AnswerKey"/>: what
    /// shards and the edge write since answers are kept as keys (<see cref="AttemptAnswered"/> is still read).
    /// </summary>
    AnswerRemembered = 8,
}
