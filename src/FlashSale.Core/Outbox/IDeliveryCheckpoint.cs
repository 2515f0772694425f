namespace FlashSale.Core.Outbox;

/// <summary>
/// Where a delivery from the outbox keeps its progress (the cursor after the last batch the receiver accepted), so
/// that a restart resumes there, and the right to deliver: only one process delivers at a time. Embedded: a file in
/// the data directory (the engine's lock already makes its process the only one). Cluster: a key in Redis beside a
/// lease with a fencing token.
/// </summary>
public interface IDeliveryCheckpoint
{
    /// <summary>
    /// Takes or renews the right to deliver; false while another process holds it. Call it before every batch.
    /// </summary>
    ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken = default);

    /// <summary>The cursor saved last (null when nothing was delivered yet).</summary>
    ValueTask<string?> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="cursor"/> durably. False, having saved nothing, when this process no longer holds the
    /// right to deliver.
    /// </summary>
    ValueTask<bool> SaveAsync(string cursor, CancellationToken cancellationToken = default);

    /// <summary>Gives the right to deliver up (on stop), so another process may take over at once.</summary>
    ValueTask ReleaseAsync();
}
