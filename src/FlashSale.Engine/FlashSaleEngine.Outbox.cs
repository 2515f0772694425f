using System.Globalization;
using System.Text;
using FlashSale.Core.Outbox;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Outbox;

namespace FlashSale.Engine;

/// <summary>
/// The engine's outbox: every shard's reservations in the order the shard won them. A shard's list is append-only,
/// and replay and snapshots rebuild it in the same order, so a position in it (how many were read) stays valid after
/// a restart. The cursor is those positions, one per shard: <c>e:&lt;p0&gt;.&lt;p1&gt;...</c>.
/// </summary>
public sealed partial class FlashSaleEngine
{
    private const string CursorPrefix = "e:";

    /// <inheritdoc/>
    public async ValueTask<OutboxBatch> ReadAsync(string? after, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var positions = ParseCursor(after, _shards.Length);
        var from = FormatCursor(positions, null);
        var reads = new Task<List<Reservation>>[_shards.Length];
        for (var i = 0; i < _shards.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var position = positions[i];

            // On the shard's thread: the task completes after the batch it ran in is durable, so nothing read here can
            // be lost to a crash (a won reservation is always in a batch that is fsynced).
            reads[i] = _shards[i].Run(worker =>
            {
                var page = new List<Reservation>(Math.Min(max, 256));
                worker.State.CopyWon(position, max, page);
                return page;
            });
        }

        var pages = await Task.WhenAll(reads);
        return OutboxMerge.Merge(pages, max, taken => FormatCursor(positions, taken), from);
    }

    /// <summary>
    /// The durable progress of a delivery named <paramref name="name"/> from this outbox: a file in the data
    /// directory (<see cref="FileCheckpoint"/>).
    /// </summary>
    public IDeliveryCheckpoint Checkpoint(string name) =>
        new FileCheckpoint(Path.GetFullPath(_options.DataDirectory), name);

    private static long[] ParseCursor(string? cursor, int shards)
    {
        var positions = new long[shards];
        if (string.IsNullOrEmpty(cursor)) return positions;
        if (!cursor.StartsWith(CursorPrefix, StringComparison.Ordinal) || cursor.Length > 32 + (21 * shards))
        {
            throw new OutboxCursorException("not a cursor of this server's outbox");
        }

        var parts = cursor[CursorPrefix.Length..].Split('.');
        if (parts.Length != shards)
        {
            throw new OutboxCursorException($"the cursor is for {parts.Length} shards, this engine has {shards}");
        }

        for (var i = 0; i < shards; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out positions[i]))
            {
                throw new OutboxCursorException("not a cursor of this server's outbox");
            }
        }

        return positions;
    }

    private static string FormatCursor(long[] positions, int[]? taken)
    {
        var text = new StringBuilder(CursorPrefix);
        for (var i = 0; i < positions.Length; i++)
        {
            if (i > 0) text.Append('.');
            text.Append(CultureInfo.InvariantCulture, $"{positions[i] + (taken is null ? 0 : taken[i])}");
        }

        return text.ToString();
    }
}
