using System.Collections.Concurrent;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;

namespace FlashSale.Redis.Tests.Support;

/// <summary>
/// A bounded crowd on one or more gateways: each buyer is a new user who tries one item with a requestId, and on
/// busy tries again with the same requestId (as a client should), until an answer or the load stops. Keeps every
/// <c>won</c> the buyers were told: the acknowledged wins.
/// </summary>
public sealed class BuyerLoad(string userPrefix = "buyer", Action<Reservation>? onWin = null)
{
    private readonly ConcurrentDictionary<Outcome, int> _outcomes = new();
    private int _nextBuyer;
    private int _soldOut;

    /// <summary>Acknowledged wins, by reservation id and user (the same id twice would be a unit sold twice).</summary>
    public ConcurrentBag<Reservation> Wins { get; } = [];

    public int WinCount => Wins.Count;

    /// <summary>Answers the buyers have had so far, of any outcome.</summary>
    public long DecisionCount => _outcomes.Values.Sum();

    public string Outcomes => string.Join(", ", _outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"));

    /// <summary>
    /// Runs <paramref name="buyers"/> buyers at once on the gateways (buyer n on gateway n mod count) until the item
    /// answers sold_out to a fresh buyer, or <paramref name="stop"/>. May run again (new buyers).
    /// </summary>
    public Task RunAsync(IReadOnlyList<RedisSaleStore> gateways, string saleId, string itemId, int buyers,
        CancellationToken stop)
    {
        Volatile.Write(ref _soldOut, 0);
        return Task.WhenAll(Enumerable.Range(0, buyers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref _soldOut) == 0)
            {
                var n = Interlocked.Increment(ref _nextBuyer);
                var gateway = gateways[n % gateways.Count];
                for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
                {
                    var decision = await gateway.PurchaseAsync(saleId, itemId, userPrefix + n, "r1");
                    _outcomes.AddOrUpdate(decision.Outcome, 1, static (_, c) => c + 1);
                    if (decision.Reservation is { } won)
                    {
                        Wins.Add(won);
                        onWin?.Invoke(won);
                    }

                    if (decision.Outcome == Outcome.SoldOut) Volatile.Write(ref _soldOut, 1);
                    if (decision.Outcome != Outcome.Busy || attempt > 200) break;
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }, CancellationToken.None)));
    }

    /// <summary>Completes when <paramref name="count"/> wins have been acknowledged (or fails after 60 s).</summary>
    public Task UntilWins(int count) => Gateways.GatewayTests.Until(() => WinCount >= count, $"{count} wins");
}
