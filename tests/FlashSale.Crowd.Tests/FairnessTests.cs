using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FlashSale.Crowd;

namespace FlashSale.Crowd.Tests;

/// <summary>The fairness figures, from a constructed set of buyers' fates, and the parts of the bots' model.</summary>
public sealed class FairnessTests
{
    [Fact]
    public void Fairness_counts_each_side_and_the_ratio_is_the_bots_share_of_winners_over_their_share_of_buyers()
    {
        // 100 buyers: 20 bots (10 won, 2 blocked), 80 people (30 won, 0 blocked); 40 winners.
        var fates = new List<BuyerFate>();
        for (var i = 0; i < 20; i++) fates.Add(new BuyerFate(Bot: true, Won: i < 10, Blocked: i >= 18));
        for (var i = 0; i < 80; i++) fates.Add(new BuyerFate(Bot: false, Won: i < 30, Blocked: false));

        var fairness = Fairness.Of(fates);

        Assert.Equal(new FairnessGroup(20, 10, 0.2, 0.25, 2), fairness.Bots);
        Assert.Equal(new FairnessGroup(80, 30, 0.8, 0.75, 0), fairness.People);
        Assert.Equal(1.25, fairness.Ratio!.Value, 10);
    }

    [Fact]
    public void The_ratio_is_undefined_without_bots_or_without_winners()
    {
        Assert.Null(Fairness.Of([new BuyerFate(false, true, false)]).Ratio);
        var nobodyWon = Fairness.Of([new BuyerFate(true, false, false), new BuyerFate(false, false, false)]);
        Assert.Null(nobodyWon.Ratio);
        Assert.Equal(0, nobodyWon.Bots.WinShare);
        Assert.Equal(0.5, nobodyWon.Bots.HeadShare);
    }

    [Fact]
    public void The_report_has_the_fairness_object_of_the_contract()
    {
        var fairness = Fairness.Of([new BuyerFate(true, true, false), new BuyerFate(false, true, true)]);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(fairness, CrowdTestJson.Options)).RootElement;

        Assert.Equal(1.0, json.GetProperty("ratio").GetDouble());
        foreach (var side in new[] { "bots", "people" })
        {
            var group = json.GetProperty(side);
            Assert.Equal(
                ["buyers", "winners", "headShare", "winShare", "blocked"],
                group.EnumerateObject().Select(p => p.Name).ToArray());
        }

        Assert.Equal(1, json.GetProperty("people").GetProperty("blocked").GetInt32());
    }

    [Fact]
    public void Waiting_and_admission_refusals_are_read_from_their_answers()
    {
        var waiting = PurchaseClient.Parse(202,
            Encoding.UTF8.GetBytes("""{"outcome":"waiting","position":3,"etaMs":1500,"ticket":"t"}"""), TimeSpan.Zero);
        Assert.Equal(CrowdOutcome.Waiting, waiting.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), waiting.RetryAfter);

        var blocked = PurchaseClient.Parse(403, Encoding.UTF8.GetBytes("""{"outcome":"grant_invalid"}"""),
            TimeSpan.Zero);
        Assert.Equal(CrowdOutcome.Blocked, blocked.Outcome);
        var notEligible = PurchaseClient.Parse(403, Encoding.UTF8.GetBytes("""{"outcome":"not_eligible"}"""),
            TimeSpan.Zero);
        Assert.Equal(CrowdOutcome.NotEligible, notEligible.Outcome);
    }

    [Fact]
    public void Early_buyers_are_all_due_at_their_instant_and_the_rest_arrive_in_turn()
    {
        var frequency = Stopwatch.Frequency;
        var schedule = new CrowdSchedule(users: 4, start: 5000, arrivalsPerSecond: 1, frequency,
            early: buyer => buyer % 2 == 1, earlyAt: 100);

        Assert.Equal(4, schedule.NeverArrived);
        Assert.True(schedule.TryTake(100, out var a, out var aAt, out _, out _));
        Assert.True(schedule.TryTake(100, out var b, out _, out _, out _));
        Assert.Equal([1, 3], new[] { a, b }.Order());
        Assert.Equal(100, aAt);
        Assert.False(schedule.TryTake(4999, out _, out _, out _, out _));
        Assert.True(schedule.TryTake(5000, out var c, out var cAt, out _, out _));
        Assert.Equal((0, 5000L), (c, cAt));
        Assert.True(schedule.TryTake(5000 + frequency, out var d, out var dAt, out _, out _));
        Assert.Equal((2, 5000 + frequency), (d, dAt));
        Assert.Equal(0, schedule.NeverArrived);
    }
}
