namespace FlashSale.Core.Admission;

/// <summary>What a <see cref="Block"/> refuses.</summary>
public enum BlockKind : byte
{
    /// <summary>A buyer (the token's <c>sub</c>).</summary>
    Buyer = 1,

    /// <summary>A client address or a CIDR range of them, IPv4 or IPv6.</summary>
    Address = 2,
}
