using System.Globalization;
using FlashSale.Core.Admission;
using FlashSale.Server.Admission;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Server.Tests.Admission;

public sealed class ProofOfWorkTests
{
    private const string Secret = "admission-test-secret-0123456789abcdef";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T10:00:00Z"));

    private ProofOfWork Create(UsedPasses? used = null) =>
        new(new SignedPasses(Secret, _time), used ?? new UsedPasses(_time));

    private static string Solve(string challenge, int difficulty) =>
        ProofOfWork.Solve(challenge, difficulty).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void A_solved_challenge_is_accepted_once()
    {
        var pow = Create();
        var challenge = pow.Issue("launch", "alice", difficulty: 10, TimeSpan.FromMinutes(1));
        var solution = Solve(challenge, 10);

        Assert.Equal(ChallengeCheck.Valid, pow.Verify(challenge, solution, "launch", "alice"));
        Assert.Equal(ChallengeCheck.Replayed, pow.Verify(challenge, solution, "launch", "alice"));
    }

    [Fact]
    public void A_replay_on_another_gateway_that_shares_the_used_passes_is_refused()
    {
        var used = new UsedPasses(_time);
        var gatewayA = Create(used);
        var gatewayB = Create(used);
        var challenge = gatewayA.Issue("launch", "alice", difficulty: 6, TimeSpan.FromMinutes(1));
        var solution = Solve(challenge, 6);

        Assert.Equal(ChallengeCheck.Valid, gatewayB.Verify(challenge, solution, "launch", "alice"));
        Assert.Equal(ChallengeCheck.Replayed, gatewayA.Verify(challenge, solution, "launch", "alice"));
    }

    [Fact]
    public void A_wrong_solution_is_unsolved_and_does_not_use_up_the_challenge()
    {
        var pow = Create();
        var challenge = pow.Issue("launch", "alice", difficulty: 12, TimeSpan.FromMinutes(1));
        var solution = ProofOfWork.Solve(challenge, 12);
        var wrong = Enumerable.Range(0, 1000).Select(i => (ulong)i)
            .First(n => n != solution && !ProofOfWork.Meets(challenge, n.ToString(CultureInfo.InvariantCulture), 12));

        Assert.Equal(ChallengeCheck.Unsolved,
            pow.Verify(challenge, wrong.ToString(CultureInfo.InvariantCulture), "launch", "alice"));
        Assert.Equal(ChallengeCheck.Valid,
            pow.Verify(challenge, solution.ToString(CultureInfo.InvariantCulture), "launch", "alice"));
    }

    [Fact]
    public void A_solution_must_be_a_short_decimal_number()
    {
        var pow = Create();
        var challenge = pow.Issue("launch", "alice", difficulty: 0, TimeSpan.FromMinutes(1));

        foreach (var bad in new[] { "", "-1", "1e3", " 7", "0x10", "123456789012345678901", "١٢" })
        {
            Assert.Equal(ChallengeCheck.Malformed, pow.Verify(challenge, bad, "launch", "alice"));
        }
    }

    [Fact]
    public void Another_buyer_cannot_use_a_solved_challenge()
    {
        var pow = Create();
        var challenge = pow.Issue("launch", "alice", difficulty: 4, TimeSpan.FromMinutes(1));

        Assert.Equal(ChallengeCheck.WrongHolder, pow.Verify(challenge, Solve(challenge, 4), "launch", "mallory"));
    }

    [Fact]
    public void An_expired_challenge_is_refused_even_when_solved()
    {
        var pow = Create();
        var challenge = pow.Issue("launch", "alice", difficulty: 4, TimeSpan.FromSeconds(20));
        var solution = Solve(challenge, 4);
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(ChallengeCheck.Expired, pow.Verify(challenge, solution, "launch", "alice"));
    }

    [Fact]
    public void Used_challenges_are_forgotten_once_they_expire()
    {
        var used = new UsedPasses(_time);
        var pow = Create(used);
        for (var i = 0; i < 50; i++)
        {
            var challenge = pow.Issue("launch", $"buyer-{i}", difficulty: 0, TimeSpan.FromSeconds(5));
            Assert.Equal(ChallengeCheck.Valid, pow.Verify(challenge, "0", "launch", $"buyer-{i}"));
        }

        Assert.Equal(50, used.Count);
        _time.Advance(TimeSpan.FromSeconds(6));
        var late = pow.Issue("launch", "late", difficulty: 0, TimeSpan.FromSeconds(5));
        Assert.Equal(ChallengeCheck.Valid, pow.Verify(late, "0", "launch", "late"));
        Assert.Equal(1, used.Count);
    }

    [Fact]
    public void A_solution_has_at_least_the_asked_leading_zero_bits()
    {
        var pow = Create();
        for (var difficulty = 0; difficulty <= 16; difficulty += 4)
        {
            var challenge = pow.Issue("launch", "alice", difficulty, TimeSpan.FromMinutes(1));
            var solution = Solve(challenge, difficulty);
            Assert.True(ProofOfWork.Meets(challenge, solution, difficulty));
            Assert.Equal(ChallengeCheck.Valid, pow.Verify(challenge, solution, "launch", "alice"));
        }
    }
}
