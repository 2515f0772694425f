namespace FlashSale.Core.Tests.Shards;

/// <summary>What one step of a generated command sequence does.</summary>
public enum StepKind
{
    Purchase,
    Confirm,
    Cancel,
    Expire,
    Advance,
    Release,
    Snapshot,
    Close,
}

/// <summary>
/// One generated command. The meaning of the small numbers depends on <see cref="Kind"/>: for a purchase, sale, item,
/// buyer and requestId (0 for none); for confirm and cancel, which reservation won so far (or an unknown id); for
/// expire, release and snapshot, the shard (and sale and item); for advance, milliseconds.
/// </summary>
public readonly record struct ShardStep(StepKind Kind, int A, int B, int C, int D)
{
    public override string ToString() => Kind switch
    {
        StepKind.Purchase => $"Purchase(sale {A}, item {B}, user u{C}, req {(D == 0 ? "-" : "r" + D)})",
        StepKind.Confirm or StepKind.Cancel => $"{Kind}(won #{A})",
        StepKind.Expire or StepKind.Snapshot => $"{Kind}(shard {A})",
        StepKind.Release => $"Release(shard {A}, sale {B}, item {C})",
        StepKind.Advance => $"Advance({A} ms)",
        StepKind.Close => $"Close(sale {A})",
        _ => Kind.ToString(),
    };
}
