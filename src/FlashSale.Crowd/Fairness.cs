namespace FlashSale.Crowd;

/// <summary>
/// Whether bots gained anything over people: each side's share of the buyers against its share of the winners.
/// <see cref="Ratio"/> is the bots' share of winners divided by their share of buyers: 1 is fair, above 1 means a bot
/// account is likelier to win than a person; null when it is undefined (no bots, or nobody won).
/// </summary>
internal sealed record Fairness(FairnessGroup Bots, FairnessGroup People, double? Ratio)
{
    public static Fairness Of(IEnumerable<BuyerFate> fates)
    {
        ArgumentNullException.ThrowIfNull(fates);
        int bots = 0, botWinners = 0, botsBlocked = 0, people = 0, peopleWinners = 0, peopleBlocked = 0;
        foreach (var fate in fates)
        {
            if (fate.Bot)
            {
                bots++;
                if (fate.Won) botWinners++;
                if (fate.Blocked) botsBlocked++;
            }
            else
            {
                people++;
                if (fate.Won) peopleWinners++;
                if (fate.Blocked) peopleBlocked++;
            }
        }

        var buyers = bots + people;
        var winners = botWinners + peopleWinners;
        var botGroup = Group(bots, botWinners, botsBlocked, buyers, winners);
        var peopleGroup = Group(people, peopleWinners, peopleBlocked, buyers, winners);
        double? ratio = bots == 0 || winners == 0 ? null : botGroup.WinShare / botGroup.HeadShare;
        return new Fairness(botGroup, peopleGroup, ratio);
    }

    private static FairnessGroup Group(int buyers, int winners, int blocked, int allBuyers, int allWinners) => new(
        buyers,
        winners,
        allBuyers == 0 ? 0 : (double)buyers / allBuyers,
        allWinners == 0 ? 0 : (double)winners / allWinners,
        blocked);
}
