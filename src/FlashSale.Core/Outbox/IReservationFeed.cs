namespace FlashSale.Core.Outbox;

/// <summary>
/// The outbox of won reservations: every reservation a store made, once each, in the order it was won within a
/// partition (a shard of the embedded engine, a sale in cluster mode), read after a cursor in batches. Both stores
/// implement it; the webhook delivery and <c>GET /admin/outbox</c> read it. Reading never touches the decision path.
/// </summary>
public interface IReservationFeed
{
    /// <summary>
    /// Reads up to <paramref name="max"/> reservations won after <paramref name="after"/> (null or empty: from the
    /// first one ever), each as it was when won (status <c>held</c>), oldest first. Only durable reservations are
    /// returned. Throws <see cref="OutboxCursorException"/> for a cursor this store did not make.
    /// </summary>
    ValueTask<OutboxBatch> ReadAsync(string? after, int max, CancellationToken cancellationToken = default);
}
