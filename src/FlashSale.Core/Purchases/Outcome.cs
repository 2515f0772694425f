namespace FlashSale.Core.Purchases;

/// <summary>The answer to a purchase attempt. The first six are the decisions of the API contract.</summary>
public enum Outcome : byte
{
    /// <summary>The buyer got a unit; a reservation is held.</summary>
    Won = 1,

    /// <summary>No unit of the item is left anywhere.</summary>
    SoldOut = 2,

    /// <summary>The buyer already holds <c>perUserLimit</c> live reservations in the sale.</summary>
    LimitReached = 3,

    /// <summary>The sale has an eligibility list without this buyer.</summary>
    NotEligible = 4,

    /// <summary>Before the sale's start.</summary>
    NotStarted = 5,

    /// <summary>After the sale's end, or closed by an operator.</summary>
    Ended = 6,

    /// <summary>The shard's queue was full; nothing was decided.</summary>
    Busy = 7,

    /// <summary>No sale with that id.</summary>
    UnknownSale = 8,

    /// <summary>The sale has no item with that id.</summary>
    UnknownItem = 9,

    /// <summary>Too many attempts from this buyer; nothing was decided (counted by the HTTP edge).</summary>
    RateLimited = 11,

    /// <summary>
    /// Internal to the engine: the local shard has no unit but another shard does; the attempt waits for units to
    /// move.
    /// </summary>
    WaitingForStock = 10,

    /// <summary>
    /// The buyer's requestId was already used in this sale for another item: nothing was decided, and the first
    /// answer (which was for the other item) is not given as if it were for this one.
    /// </summary>
    RequestIdReused = 12,

    /// <summary>The buyer or the client address is on the operators' block list (counted by the HTTP edge).</summary>
    Blocked = 20,

    /// <summary>The buyer or the address is banned for a while for hammering after <see cref="RateLimited"/>.</summary>
    Banned = 21,

    /// <summary>The sale takes purchases on its hidden path only; the plain route was used.</summary>
    PathRequired = 22,

    /// <summary>A hidden purchase path that is not this buyer's for this sale, tampered with, or expired.</summary>
    PathInvalid = 23,

    /// <summary>The sale needs a solved proof-of-work challenge and none came.</summary>
    ChallengeRequired = 24,

    /// <summary>A challenge solution that is wrong, expired, another's, or used before.</summary>
    ChallengeFailed = 25,
}
