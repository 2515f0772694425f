using FsCheck.Xunit;

namespace FlashSale.Core.Tests.Shards;

public sealed class ShardStatePropertyTests
{
    [Property(Arbitrary = [typeof(StepArbitrary)], MaxTest = 300, EndSize = 120)]
    public void Random_commands_keep_stock_limit_and_idempotency_invariants_after_every_step(ShardStep[] steps)
    {
        var world = new ShardWorld();
        foreach (var step in steps)
        {
            world.Run(step);
            world.CheckInvariants();
        }
    }

    [Property(Arbitrary = [typeof(StepArbitrary)], MaxTest = 300, EndSize = 120)]
    public void Replaying_the_recorded_events_or_a_snapshot_rebuilds_the_same_state(ShardStep[] steps)
    {
        var world = new ShardWorld();
        for (var i = 0; i < steps.Length; i++)
        {
            world.Run(steps[i]);
            if (i % 10 == 9) world.CheckReplay();
        }

        world.CheckReplay();
    }

    [Property(Arbitrary = [typeof(StepArbitrary)], MaxTest = 100, EndSize = 120)]
    public void The_same_commands_at_the_same_times_make_the_same_decisions_and_state(ShardStep[] steps)
    {
        var first = new ShardWorld();
        var second = new ShardWorld();
        foreach (var step in steps)
        {
            first.Run(step);
            second.Run(step);
        }

        Assert.Equal(first.Transcript, second.Transcript);
        Assert.Equal(first.Shards.Select(s => s.Describe()), second.Shards.Select(s => s.Describe()));
    }
}
