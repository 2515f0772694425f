namespace FlashSale.Crowd;

/// <summary>Where a simulated buyer is in its visit.</summary>
internal enum BuyerPhase : byte
{
    /// <summary>Has not clicked yet.</summary>
    Arriving,

    /// <summary>Clicked; waiting for a decision (in flight or waiting to retry).</summary>
    Trying,

    /// <summary>Got a decision (won, sold out, limit reached, ...). Bots may keep clicking.</summary>
    Through,

    /// <summary>Ran out of retries without a decision.</summary>
    GaveUp,
}
