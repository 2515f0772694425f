using System.Collections.Frozen;
using FlashSale.Core.Admission;

namespace FlashSale.Server.Admission;

/// <summary>
/// The operators' block list, compiled for the purchase path: a frozen set of buyers and an array of address ranges.
/// Built again whenever the store hands out a new list (the list is replaced, never changed in place), so that an
/// operator's change applies to the next request.
/// </summary>
internal sealed class BlockMatcher
{
    private readonly FrozenDictionary<string, Block> _buyers;
    private readonly (IpRange Range, Block Block)[] _ranges;

    public BlockMatcher(IReadOnlyList<Block> blocks)
    {
        Source = blocks;
        var buyers = new Dictionary<string, Block>(StringComparer.Ordinal);
        var ranges = new List<(IpRange, Block)>();
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Buyer) buyers[block.Value] = block;
            else if (IpRange.TryParse(block.Value, out var range)) ranges.Add((range, block));
        }

        _buyers = buyers.ToFrozenDictionary(StringComparer.Ordinal);
        _ranges = [.. ranges];
    }

    /// <summary>The list this was built from.</summary>
    public IReadOnlyList<Block> Source { get; }

    /// <summary>True when the list is empty: nothing to check.</summary>
    public bool IsEmpty => _buyers.Count == 0 && _ranges.Length == 0;

    /// <summary>True when the buyer or the address is blocked at <paramref name="nowMs"/>.</summary>
    public bool IsBlocked(string userId, UInt128 address, long nowMs)
    {
        if (_buyers.TryGetValue(userId, out var block) && block.IsActive(nowMs)) return true;
        foreach (var (range, entry) in _ranges)
        {
            if (range.Contains(address) && entry.IsActive(nowMs)) return true;
        }

        return false;
    }
}
