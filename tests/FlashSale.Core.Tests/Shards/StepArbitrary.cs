using FsCheck;
using FsCheck.Fluent;

namespace FlashSale.Core.Tests.Shards;

/// <summary>Generates <see cref="ShardStep"/>s, weighted so that sequences buy, settle and expire a lot.</summary>
public static class StepArbitrary
{
    public static Arbitrary<ShardStep> Steps()
    {
        var purchase =
            from sale in Gen.Choose(0, 1)
            from item in Gen.Choose(0, 2)
            from user in Gen.Choose(0, ShardWorld.UserCount - 1)
            from request in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
            select new ShardStep(StepKind.Purchase, sale, item, user, request);
        var reservation = Gen.Frequency((5, Gen.Choose(0, 6)), (1, Gen.Choose(7, 40)));
        var shard = Gen.Choose(0, ShardWorld.ShardCount - 1);
        var gen = Gen.Frequency(
            (10, purchase),
            (2, reservation.Select(static r => new ShardStep(StepKind.Confirm, r, 0, 0, 0))),
            (2, reservation.Select(static r => new ShardStep(StepKind.Cancel, r, 0, 0, 0))),
            (2, shard.Select(static s => new ShardStep(StepKind.Expire, s, 0, 0, 0))),
            (3, Gen.Elements(0, 1, 500, 1_000, 2_999, 3_000, 4_000)
                .Select(static ms => new ShardStep(StepKind.Advance, ms, 0, 0, 0))),
            (1, from s in shard
                from sale in Gen.Choose(0, 1)
                from item in Gen.Choose(0, 2)
                select new ShardStep(StepKind.Release, s, sale, item, 0)),
            (1, shard.Select(static s => new ShardStep(StepKind.Snapshot, s, 0, 0, 0))),
            (1, Gen.Constant(new ShardStep(StepKind.Close, 1, 0, 0, 0))));
        return Arb.From(gen);
    }
}
