using System.Globalization;

namespace FlashSale.Crowd;

/// <summary>
/// The simulated buyers: <c>buyer-0000001</c> to <c>buyer-{N}</c>, each with an 8-byte <see cref="SimulatedBuyer"/>.
/// Which item a buyer wants (round robin over the sale's items) and whether it is a bot (a seeded hash) are
/// functions of its index, so nothing else is stored per buyer.
/// </summary>
internal sealed class BuyerPopulation
{
    public const string IdPrefix = "buyer-";

    private readonly uint _botThreshold;
    private readonly uint _seed;

    public BuyerPopulation(int count, int itemCount, double botFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        Count = count;
        ItemCount = itemCount;
        Buyers = new SimulatedBuyer[count];
        _seed = (uint)seed;
        _botThreshold = botFraction >= 1 ? uint.MaxValue : (uint)(Math.Clamp(botFraction, 0, 1) * uint.MaxValue);
        for (var i = 0; i < count; i++)
        {
            if (IsBot(i)) BotCount++;
        }
    }

    public int Count { get; }

    public int ItemCount { get; }

    public int BotCount { get; }

    /// <summary>Per-buyer state, indexed by buyer index (0-based; the id's number is index + 1).</summary>
    public SimulatedBuyer[] Buyers { get; }

    /// <summary><c>buyer-0000001</c> for index 0.</summary>
    public static string UserId(int index) => IdPrefix + (index + 1).ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The index of <c>buyer-0000001</c>-style ids, or -1 for any other id.</summary>
    public int IndexOf(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (!userId.StartsWith(IdPrefix, StringComparison.Ordinal)) return -1;
        var digits = userId.AsSpan(IdPrefix.Length);
        if (digits.Length < 7
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return -1;
        }

        return number >= 1 && number <= Count && UserId(number - 1) == userId ? number - 1 : -1;
    }

    /// <summary>
    /// The index of the item this buyer wants (round robin, so the buyers of each item are known exactly).
    /// </summary>
    public int ItemOf(int index) => index % ItemCount;

    /// <summary>How many buyers want item <paramref name="item"/>.</summary>
    public int BuyersOf(int item) => Count / ItemCount + (item < Count % ItemCount ? 1 : 0);

    /// <summary>True when this buyer is a bot: retries without waiting and keeps clicking after its answer.</summary>
    public bool IsBot(int index) => _botThreshold != 0 && Mix((uint)index ^ _seed) <= _botThreshold;

    /// <summary>A small avalanche hash (lowbias32), so bots are spread evenly over the buyer ids.</summary>
    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352d;
        x ^= x >> 15;
        x *= 0x846ca68b;
        x ^= x >> 16;
        return x;
    }
}
