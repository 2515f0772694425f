using FlashSale.Core.Admission;
using FlashSale.Redis.Tests.Gateways;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Admission;

/// <summary>
/// Admission state shared by gateways on one Redis: a sale's strategy, the block list, used challenges.
/// </summary>
public abstract class AdmissionStateTests(RedisDeployment redis)
{
    private static readonly AdmissionStrategy Strict = AdmissionStrategy.Default with
    {
        HiddenPath = new HiddenPathPolicy(true, 30),
        Challenge = new ChallengePolicy(true, 12, 20, 500, 60),
        AutoBan = new AutoBanPolicy(5, 10, 60),
    };

    [Fact]
    public async Task A_strategy_changed_on_one_gateway_is_in_force_on_the_other_and_on_a_new_one()
    {
        var prefix = Stores.NewPrefix();
        var clock = Stores.Clock();
        await using var first = await Stores.Connect(redis, clock, prefix);
        await using var second = await Stores.Connect(redis, clock, prefix);
        var id = Stores.NewSaleId("strategy");
        await first.CreateSaleAsync(TestSales.Open(id) with { Admission = Strict });
        Assert.Equal(Strict, (await second.FindSaleAsync(id))!.Admission);

        var changed = Strict with { IpRate = new IpRatePolicy(10, 20) };
        await first.ChangeAdmissionAsync(id, changed);
        await GatewayTests.Until(() => changed.Equals(second.FindSale(id)!.Admission), "the change on the other");

        await using var third = await Stores.Connect(redis, clock, prefix);
        Assert.Equal(changed, (await third.FindSaleAsync(id))!.Admission);
        Assert.Null(await first.ChangeAdmissionAsync("no-such-sale", changed));
    }

    [Fact]
    public async Task A_block_added_or_removed_on_one_gateway_is_seen_by_the_other()
    {
        var prefix = Stores.NewPrefix();
        var clock = Stores.Clock();
        await using var first = await Stores.Connect(redis, clock, prefix);
        await using var second = await Stores.Connect(redis, clock, prefix);
        var block = new Block(BlockKind.Address, "10.0.0.0/8", "farm", null);
        await first.AddBlockAsync(block);
        await first.AddBlockAsync(new Block(BlockKind.Buyer, "scalper", null, 123));
        await GatewayTests.Until(() => second.Blocks.Count == 2, "both blocks on the other gateway");
        Assert.Contains(block, second.Blocks);

        Assert.True(await second.RemoveBlockAsync(BlockKind.Address, "10.0.0.0/8"));
        Assert.False(await second.RemoveBlockAsync(BlockKind.Address, "10.0.0.0/8"));
        await GatewayTests.Until(() => first.Blocks.Count == 1, "the removal on the first gateway");
        Assert.Equal("scalper", Assert.Single(first.Blocks).Value);
    }

    [Fact]
    public async Task A_challenge_used_on_one_gateway_is_refused_on_the_other_until_it_expires()
    {
        var prefix = Stores.NewPrefix();
        var clock = Stores.Clock();
        await using var first = await Stores.Connect(redis, clock, prefix);
        await using var second = await Stores.Connect(redis, clock, prefix);
        var id = Stores.NewSaleId("once");
        var nonce = (UInt128)Random.Shared.NextInt64() << 64 | (ulong)Random.Shared.NextInt64();
        var expires = clock.GetUtcNow().AddMinutes(1).ToUnixTimeMilliseconds();

        Assert.True(await first.TryUseOnceAsync(id, nonce, expires));
        Assert.False(await second.TryUseOnceAsync(id, nonce, expires));
        Assert.False(await first.TryUseOnceAsync(id, nonce, expires));
        Assert.True(await second.TryUseOnceAsync(id, nonce + 1, expires));

        // The key carries the sale's hash tag, and lives no longer than the challenge.
        var key = $"{{{prefix}:sale:{id}}}:once:{nonce:x32}";
        var ttl = long.Parse(redis.Primaries[0].Cli("-c", "PTTL", key).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, 60_000);
    }
}
