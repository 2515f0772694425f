using System.Diagnostics;
using System.Text;
using FlashSale.Crowd;

namespace FlashSale.Crowd.Tests;

/// <summary>The crowd's parts on their own: tokens, answers, the schedule, the population, the verifier.</summary>
public sealed class CrowdPartsTests
{
    [Theory]
    [InlineData(201, """{"outcome":"won","reservation":{"id":"r1","userId":"u","itemId":"i"}}""", (int)CrowdOutcome.Won,
        null)]
    [InlineData(409, """{"title":"Sold out","status":409,"outcome":"sold_out"}""", (int)CrowdOutcome.SoldOut, null)]
    [InlineData(409, """{"outcome":"limit_reached"}""", (int)CrowdOutcome.LimitReached, null)]
    [InlineData(503, """{"outcome":"busy"}""", (int)CrowdOutcome.Busy, null)]
    [InlineData(200, """{"outcome":"won","reservation":{"id":"r1","userId":"u","itemId":"i"}}""",
        (int)CrowdOutcome.Error, "HTTP 200 with outcome won")]
    [InlineData(201, """{"outcome":"won"}""", (int)CrowdOutcome.Error, "won without a reservation")]
    [InlineData(500, """{"title":"oops"}""", (int)CrowdOutcome.Error, "HTTP 500 without an outcome")]
    [InlineData(502, "<html>", (int)CrowdOutcome.Error, "HTTP 502 with a body that is not JSON")]
    public void Answers_are_read_from_the_outcome_word_and_must_agree_with_the_status(int status, string body,
        int outcome, string? error)
    {
        var answer = PurchaseClient.Parse(status, Encoding.UTF8.GetBytes(body), TimeSpan.Zero);

        Assert.Equal((CrowdOutcome)outcome, answer.Outcome);
        Assert.Equal(error, answer.Error);
    }

    [Fact]
    public void Open_loop_schedule_hands_out_buyers_at_their_intended_times()
    {
        var frequency = Stopwatch.Frequency;
        var schedule = new CrowdSchedule(users: 3, start: 1000, arrivalsPerSecond: 2, frequency);

        Assert.False(schedule.TryTake(999, out _, out _, out var wait, out var finished));
        Assert.False(finished);
        Assert.Equal(1, wait);
        Assert.True(schedule.TryTake(1000 + frequency, out var first, out var firstIntended, out _, out _));
        Assert.True(schedule.TryTake(1000 + frequency, out var second, out var secondIntended, out _, out _));
        Assert.Equal((0, 1000L), (first, firstIntended));
        Assert.Equal((1, 1000 + (frequency / 2)), (second, secondIntended));

        // Buyer 2 is due at start + 1 s; buyer 0's retry at start + 0.75 s goes first.
        schedule.Complete(first, 1000 + (frequency * 3 / 4));
        Assert.True(schedule.TryTake(1000 + (2 * frequency), out var retry, out var retryIntended, out _, out _));
        Assert.Equal((0, 1000 + (frequency * 3 / 4)), (retry, retryIntended));
        schedule.Complete(retry, null);
        schedule.Complete(second, null);
        Assert.True(schedule.TryTake(1000 + (2 * frequency), out var third, out _, out _, out _));
        Assert.Equal(2, third);
        schedule.Complete(third, null);
        Assert.False(schedule.TryTake(1000 + (2 * frequency), out _, out _, out _, out finished));
        Assert.True(finished);
    }

    [Fact]
    public void Closed_loop_schedule_serves_due_retries_before_fresh_buyers()
    {
        var schedule = new CrowdSchedule(users: 10, start: 1000, arrivalsPerSecond: null, Stopwatch.Frequency);

        Assert.True(schedule.TryTake(1000, out var first, out _, out _, out _));
        schedule.Complete(first, 1500);
        Assert.True(schedule.TryTake(1400, out var fresh, out var freshIntended, out _, out _));
        Assert.Equal((1, 1400L), (fresh, freshIntended));
        Assert.True(schedule.TryTake(1600, out var retry, out var retryIntended, out _, out _));
        Assert.Equal((0, 1500L), (retry, retryIntended));
    }

    [Fact]
    public void Population_is_compact_and_round_robins_items()
    {
        var population = new BuyerPopulation(1_000_000, 3, 0.1, seed: 7);

        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<SimulatedBuyer>());
        Assert.Equal("buyer-0000001", BuyerPopulation.UserId(0));
        Assert.Equal("buyer-1000000", BuyerPopulation.UserId(999_999));
        Assert.Equal(999_999, population.IndexOf("buyer-1000000"));
        Assert.Equal(-1, population.IndexOf("buyer-001"));
        Assert.Equal(-1, population.IndexOf("alice"));
        Assert.Equal(1_000_000, population.BuyersOf(0) + population.BuyersOf(1) + population.BuyersOf(2));
        Assert.Equal(333_334, population.BuyersOf(0));
        Assert.InRange(population.BotCount, 98_000, 102_000);
    }

    [Fact]
    public void Winners_check_is_skipped_when_not_every_buyer_got_through()
    {
        var sale = new SaleInfo("s", "S", DateTimeOffset.UnixEpoch, "open", 1, [new SaleItemInfo("a", "A", 5, 0)]);
        var verification = CrowdVerifier.Verify(new VerificationInput(
            sale, new BuyerPopulation(10, 1, 0, 1), [], "3 gave up after 3 retries", new Dictionary<string, long>(),
                []));

        var winners = verification.Checks.Single(c => c.Name == CrowdVerifier.Winners);
        Assert.Equal(CheckStatus.Skipped, winners.Status);
        Assert.Contains("3 gave up", winners.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Reservations_nobody_heard_of_are_counted_and_shown_but_do_not_fail()
    {
        var sale = new SaleInfo("s", "S", DateTimeOffset.UnixEpoch, "open", 1, [new SaleItemInfo("a", "A", 5, 0)]);
        var verification = CrowdVerifier.Verify(new VerificationInput(
            sale, new BuyerPopulation(2, 1, 0, 1), [new CrowdWin(0, 0, "r1", "buyer-0000001", "a")], null,
                new Dictionary<string, long>(),
            [new ExportedReservation("r1", "buyer-0000001", "a", "held"),
                new ExportedReservation("r2", "buyer-0000002", "a", "held")]));

        Assert.True(verification.Passed);
        Assert.Equal(1, verification.UnannouncedReservations);
        var shown = verification.Checks.Single(c => c.Name == CrowdVerifier.Unannounced);
        Assert.Equal(CheckStatus.Info, shown.Status);
        Assert.Contains("r2 (buyer-0000002, a, held)", shown.Detail, StringComparison.Ordinal);
    }
}
