namespace FlashSale.Server.Admission;

/// <summary>The verdict on a solved challenge.</summary>
public enum ChallengeCheck
{
    /// <summary>A genuine, unexpired challenge for this buyer and sale, solved, used for the first time.</summary>
    Valid,

    /// <summary>The challenge is not one (bad encoding), or the solution is not a decimal number.</summary>
    Malformed,

    /// <summary>The challenge's signature does not match.</summary>
    BadSignature,

    /// <summary>A challenge issued to another buyer or for another sale.</summary>
    WrongHolder,

    /// <summary>The challenge has expired: fetch a new one.</summary>
    Expired,

    /// <summary>The solution's hash lacks the leading zero bits the challenge asks for.</summary>
    Unsolved,

    /// <summary>This challenge was already used.</summary>
    Replayed,
}
