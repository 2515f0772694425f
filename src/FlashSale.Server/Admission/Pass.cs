namespace FlashSale.Server.Admission;

/// <summary>The fields of a verified pass that the caller did not already know.</summary>
/// <param name="ExpiresAtMs">When it stops being valid, Unix milliseconds.</param>
/// <param name="Nonce">Random and unique per pass: the key under which a one-time pass is marked used.</param>
/// <param name="Difficulty">For a challenge, the leading zero bits a solution's hash must have; else 0.</param>
public readonly record struct Pass(long ExpiresAtMs, UInt128 Nonce, byte Difficulty);
