using FlashSale.Core.Outbox;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;

namespace FlashSale.Core.Stores;

/// <summary>
/// The store port: everything the HTTP edge (endpoints, pages, metrics, the purchase path) asks of the place where
/// sales, stock, reservations and remembered answers live. The embedded engine (one process, its journal) and the
/// Redis store (stateless gateways over one Redis deployment) implement it; the edge is written once against it.
/// Every member is safe to call from any thread. Reads marked "may lag" come from a cache that a store refreshes.
/// </summary>
public interface ISaleStore : IReservationFeed, IAsyncDisposable
{
    /// <summary>Raised when an item sells out or comes back, as this process learns it: keep handlers short.</summary>
    event Action<ItemAvailability>? AvailabilityChanged;

    /// <summary>What the store is, for logs, metrics and probes: <c>embedded</c> or <c>redis</c>.</summary>
    string Kind { get; }

    /// <summary>The clock every decision reads.</summary>
    TimeProvider Time { get; }

    /// <summary>
    /// True while the store can decide: the engine until a shard fails (a full disk), Redis while it is reachable.
    /// While false, purchases answer <see cref="Outcome.Busy"/>.
    /// </summary>
    bool IsHealthy { get; }

    /// <summary>Purchase attempts waiting to be decided (shard queues, or batches not yet sent).</summary>
    int QueueDepth { get; }

    /// <summary>Units deciding in parallel: the engine's shards, or the Redis primaries serving the slots.</summary>
    int ShardCount { get; }

    /// <summary>
    /// Called with the seconds each durable write took (a journal fsync, a batch's script call), on the store's
    /// thread: keep it short.
    /// </summary>
    Action<double>? WriteObserved { get; set; }

    /// <summary>Every sale this process knows, in creation order (may lag a sale made on another gateway).</summary>
    IReadOnlyList<Sale> Sales { get; }

    /// <summary>
    /// A sale by id from what this process knows, or null (may lag; see <see cref="FindSaleAsync"/>).
    /// </summary>
    Sale? FindSale(string saleId);

    /// <summary>A sale by id, asking the store itself when this process does not know it yet; null when none.</summary>
    ValueTask<Sale?> FindSaleAsync(string saleId);

    /// <summary>The sale's state now: scheduled, open, sold out (every item) or ended (may lag).</summary>
    SalePhase PhaseOf(Sale sale);

    /// <summary>Units of an item not yet won (may lag).</summary>
    int Remaining(string saleId, int itemIndex);

    /// <summary>True while the item is sold out as this process knows it (may lag).</summary>
    bool IsSoldOut(string saleId, int itemIndex);

    /// <summary>The sale's counters, or null for an unknown sale.</summary>
    ValueTask<SaleStatistics?> GetStatsAsync(string saleId);

    /// <summary>
    /// Decides a purchase attempt. A <see cref="Outcome.Won"/> is durable before it is returned; when the store
    /// cannot write, the answer is <see cref="Outcome.Busy"/>. Answers the store can give from memory complete
    /// synchronously.
    /// </summary>
    ValueTask<Decision> PurchaseAsync(string saleId, string itemId, string userId, string? requestId = null);

    /// <summary>Counts an outcome decided at the edge, before the store (<see cref="Outcome.RateLimited"/>).</summary>
    void CountOutcome(string saleId, Outcome outcome);

    /// <summary>Creates a sale: validated and durable before this returns.</summary>
    ValueTask<CreateSaleResult> CreateSaleAsync(SaleDefinition definition);

    /// <summary>
    /// Closes a sale: from now on its purchases answer <c>ended</c>. Returns null for an unknown sale.
    /// </summary>
    ValueTask<Sale?> CloseSaleAsync(string saleId);

    /// <summary>
    /// Confirms a reservation (the store placed the order). Idempotent; a conflict once cancelled or expired.
    /// </summary>
    Task<ReservationChange> ConfirmAsync(string reservationId);

    /// <summary>Cancels a reservation; its unit goes back on sale. Idempotent; a conflict once confirmed.</summary>
    Task<ReservationChange> CancelAsync(string reservationId);

    /// <summary>A buyer's reservations in a sale, in decision order (empty when none).</summary>
    Task<List<Reservation>> GetReservationsAsync(string saleId, string userId);

    /// <summary>A reservation by id as it now stands, or null.</summary>
    Task<Reservation?> FindReservationAsync(string reservationId);

    /// <summary>Counts of every reservation by status, over all sales (for metrics).</summary>
    Task<IReadOnlyDictionary<ReservationStatus, long>> CountReservationsAsync();

    /// <summary>Every reservation of a sale, in decision order, streamed a page at a time.</summary>
    IAsyncEnumerable<Reservation> ExportReservationsAsync(string saleId,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The durable progress of a delivery from the outbox (<see cref="IReservationFeed"/>) named
    /// <paramref name="name"/>, with the right to deliver: a file in the data directory, or a Redis key beside a lease.
    /// </summary>
    IDeliveryCheckpoint Checkpoint(string name);
}
