namespace FlashSale.Core.Admission;

/// <summary>Remembers one-time passes (solved challenges) until they expire, so that each is accepted once. The
/// embedded store keeps them in memory (<see cref="UsedPasses"/>); cluster mode keeps them in Redis, so that a
/// replay on another gateway is refused too.</summary>
public interface IUsedPasses
{
    /// <summary>Marks <paramref name="nonce"/> used; false when it already was.</summary>
    bool TryUse(UInt128 nonce, long expiresAtMs);
}
