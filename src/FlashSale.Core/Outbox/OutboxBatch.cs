namespace FlashSale.Core.Outbox;

/// <summary>What one read of the outbox returned.</summary>
/// <param name="Entries">The reservations read, oldest first (empty when none is new).</param>
/// <param name="Cursor">The position after the last entry (the position read from, when none).</param>
public sealed record OutboxBatch(IReadOnlyList<OutboxEntry> Entries, string Cursor);
