namespace FlashSale.Core.Reservations;

/// <summary>What came of a confirm or cancel.</summary>
public enum ChangeResult : byte
{
    /// <summary>Done (or already in the asked-for state); the reservation is returned.</summary>
    Ok = 1,

    /// <summary>No such reservation.</summary>
    NotFound = 2,

    /// <summary>Refused: confirm of a cancelled or expired hold, or cancel of a confirmed one.</summary>
    Conflict = 3,
}
