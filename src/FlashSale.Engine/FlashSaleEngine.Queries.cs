using System.Runtime.CompilerServices;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;
using FlashSale.Core.Stores;

namespace FlashSale.Engine;

public sealed partial class FlashSaleEngine
{
    private const int ExportPage = 1024;

    /// <summary>Every sale, in creation order.</summary>
    public IReadOnlyList<Sale> Sales => [.. Catalog.All.Select(entry => entry.Sale)];

    /// <summary>A sale by id, or null.</summary>
    public Sale? FindSale(string saleId) => Catalog.Find(saleId)?.Sale;

    /// <summary>A sale by id, or null: the engine knows every sale, so this completes synchronously.</summary>
    public ValueTask<Sale?> FindSaleAsync(string saleId) => new(FindSale(saleId));

    /// <summary>The sale's state now: scheduled, open, sold out (every item) or ended.</summary>
    public SalePhase PhaseOf(Sale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (sale.IsNotStarted(now)) return SalePhase.Scheduled;
        if (sale.IsEnded(now)) return SalePhase.Ended;
        return Catalog.Find(sale.Id)?.AllSoldOut == true ? SalePhase.SoldOut : SalePhase.Open;
    }

    /// <summary>Units of an item not yet won (pool plus shards); may lag by a moment.</summary>
    public int Remaining(string saleId, int itemIndex) => Catalog.Find(saleId)?.Items[itemIndex].Remaining ?? 0;

    /// <summary>True while the item is sold out everywhere.</summary>
    public bool IsSoldOut(string saleId, int itemIndex) => Catalog.Find(saleId)?.Items[itemIndex].SoldOut ?? false;

    /// <summary>The sale's counters, or null for an unknown sale.</summary>
    public SaleStatistics? GetStats(string saleId)
    {
        var entry = Catalog.Find(saleId);
        if (entry is null) return null;
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        long attempts = 0;
        Outcome[] counted =
        [
            .. OutcomeWords.Decisions, Outcome.RequestIdReused, Outcome.RateLimited, Outcome.Busy,
            .. OutcomeWords.AdmissionRefusals,
        ];
        foreach (var outcome in counted)
        {
            var count = entry.Stats.CountOf(outcome);
            outcomes[outcome.ToWord()] = count;
            attempts += count;
        }

        return new SaleStatistics(attempts, entry.Stats.ReservationsMade, entry.Stats.SoldOutAtTime, outcomes);
    }

    /// <summary>The sale's counters, or null for an unknown sale; completes synchronously.</summary>
    public ValueTask<SaleStatistics?> GetStatsAsync(string saleId) => new(GetStats(saleId));

    /// <summary>A buyer's reservations in a sale, in decision order (empty when none).</summary>
    public Task<List<Reservation>> GetReservationsAsync(string saleId, string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return _shards[ShardRouter.ShardOf(userId, _shards.Length)]
            .Run(worker => worker.State.ReservationsOf(saleId, userId));
    }

    /// <summary>A reservation by id as it now stands, or null.</summary>
    public Task<Reservation?> FindReservationAsync(string reservationId)
    {
        if (!Reservation.TryParseId(reservationId, out var shard, out _) || shard >= _shards.Length)
        {
            return Task.FromResult<Reservation?>(null);
        }

        return _shards[shard].Run(worker => worker.State.FindReservation(reservationId));
    }

    /// <summary>Counts of every reservation by status, over all sales (for metrics).</summary>
    public async Task<IReadOnlyDictionary<ReservationStatus, long>> CountReservationsAsync()
    {
        var perShard = await Task.WhenAll(_shards.Select(shard => shard.Run(static worker =>
        {
            var counts = new int[8];
            foreach (var saleId in worker.State.SaleIds) worker.State.CountByStatus(saleId, counts);
            return counts;
        })));
        var result = new Dictionary<ReservationStatus, long>();
        foreach (var status in Enum.GetValues<ReservationStatus>())
        {
            result[status] = perShard.Sum(c => (long)c[(int)status]);
        }

        return result;
    }

    /// <summary>
    /// Every reservation of a sale, in decision order (by time of the decision across shards, each shard's own
    /// order kept), read a page at a time so the export is never built whole in memory.
    /// </summary>
    public async IAsyncEnumerable<Reservation> ExportReservationsAsync(string saleId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var count = _shards.Length;
        var pages = new List<Reservation>[count];
        var positions = new int[count];
        var taken = new int[count];
        var done = new bool[count];
        for (var i = 0; i < count; i++) pages[i] = [];

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var best = -1;
            for (var i = 0; i < count; i++)
            {
                if (positions[i] == pages[i].Count && !done[i])
                {
                    var from = taken[i];
                    var page = await _shards[i].Run(worker =>
                    {
                        var list = new List<Reservation>(ExportPage);
                        worker.State.CopyReservations(saleId, from, ExportPage, list);
                        return list;
                    });
                    pages[i] = page;
                    positions[i] = 0;
                    taken[i] += page.Count;
                    done[i] = page.Count < ExportPage;
                }

                if (positions[i] < pages[i].Count
                    && (best < 0 || pages[i][positions[i]].CreatedAt < pages[best][positions[best]].CreatedAt))
                {
                    best = i;
                }
            }

            if (best < 0) yield break;
            yield return pages[best][positions[best]++];
        }
    }
}
