namespace FlashSale.Core.Admission;

/// <summary>
/// An entry of the block list an operator keeps: every purchase from this buyer or address is refused
/// <c>blocked</c>, in every sale, from the moment it is added until it is removed or <see cref="UntilMs"/> passes.
/// </summary>
/// <param name="Kind">Buyer or address.</param>
/// <param name="Value">The buyer id, or the address range in canonical CIDR form (<c>10.0.0.0/8</c>).</param>
/// <param name="Reason">The operator's note, or null.</param>
/// <param name="UntilMs">When it lapses (Unix milliseconds), or null for never.</param>
public sealed record Block(BlockKind Kind, string Value, string? Reason, long? UntilMs)
{
    /// <summary>Longest <see cref="Reason"/>.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>True when the entry is in force at <paramref name="nowMs"/>.</summary>
    public bool IsActive(long nowMs) => UntilMs is not { } until || nowMs < until;
}
