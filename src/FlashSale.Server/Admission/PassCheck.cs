namespace FlashSale.Server.Admission;

/// <summary>Why a pass was refused (or <see cref="Valid"/>).</summary>
public enum PassCheck
{
    /// <summary>Well-formed, signed by this deployment, for this kind, sale and buyer, and not expired.</summary>
    Valid,

    /// <summary>Not a pass at all: bad encoding, wrong length, unknown version.</summary>
    Malformed,

    /// <summary>The signature does not match: tampered with, or made with another key.</summary>
    BadSignature,

    /// <summary>Signed, but for another kind, sale or buyer.</summary>
    WrongHolder,

    /// <summary>Past its expiry.</summary>
    Expired,
}
