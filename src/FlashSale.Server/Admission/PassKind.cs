namespace FlashSale.Server.Admission;

/// <summary>What a <see cref="SignedPasses">signed pass</see> allows; part of the signed bytes, so one kind never
/// passes for another.</summary>
public enum PassKind : byte
{
    /// <summary>A proof-of-work challenge to solve (carries its difficulty).</summary>
    Challenge = 1,

    /// <summary>The hidden purchase path of one buyer in one sale.</summary>
    PurchasePath = 2,

    /// <summary>Admission from the waiting room.</summary>
    Grant = 3,

    /// <summary>A place in the waiting room; its expiry, a fixed time after issue, records its holder's arrival.
    /// </summary>
    WaitingTicket = 4,
}
