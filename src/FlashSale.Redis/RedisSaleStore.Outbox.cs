using FlashSale.Core.Outbox;
using FlashSale.Core.Reservations;
using FlashSale.Redis.Batching;
using FlashSale.Redis.Catalog;
using FlashSale.Redis.Outbox;
using StackExchange.Redis;

namespace FlashSale.Redis;

/// <summary>
/// The cluster store's outbox: every sale's stream (<c>{fs:sale:&lt;id&gt;}:outbox</c>), which the deciding script
/// appends a batch's wins to in the same call as the decisions. Read from the primaries (a replica may lag and, after a
/// failover, may never get what it had not seen), with stream entry ids as positions.
/// </summary>
public sealed partial class RedisSaleStore
{
    private const int OutboxEntriesPerRead = 32;

    /// <inheritdoc/>
    public async ValueTask<OutboxBatch> ReadAsync(string? after, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var positions = OutboxCursor.Parse(after);
        var from = OutboxCursor.Format(positions);

        // Sales other gateways created and this one has not heard of yet.
        foreach (var id in await _database.SortedSetRangeByRankAsync(_keys.Sales, 0, -1))
        {
            if (!_sales.ContainsKey(id.ToString())) await FindOrLoadAsync(id.ToString());
        }

        var sales = Volatile.Read(ref _ordered);
        var reads = new Task<List<(Reservation Reservation, OutboxPosition After)>>[sales.Length];
        for (var i = 0; i < sales.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var position = positions.GetValueOrDefault(sales[i].Sale.Id, OutboxPosition.Start);
            reads[i] = ReadStreamAsync(sales[i], position, max);
        }

        var pages = await Task.WhenAll(reads);
        return OutboxMerge.Merge(
            [.. pages.Select(page => (IReadOnlyList<Reservation>)[.. page.Select(p => p.Reservation)])],
            max,
            taken =>
            {
                var next = new Dictionary<string, OutboxPosition>(positions, StringComparer.Ordinal);
                for (var i = 0; i < taken.Length; i++)
                {
                    if (taken[i] > 0) next[sales[i].Sale.Id] = pages[i][taken[i] - 1].After;
                }

                return OutboxCursor.Format(next);
            },
            from);
    }

    /// <summary>
    /// The durable progress of a delivery named <paramref name="name"/>, with the lease that lets one gateway at a
    /// time deliver (<see cref="RedisCheckpoint"/>).
    /// </summary>
    public IDeliveryCheckpoint Checkpoint(string name) =>
        new RedisCheckpoint(_database, _scripts, _options.KeyPrefix, name, _options.LeaseDuration);

    private async Task<List<(Reservation Reservation, OutboxPosition After)>> ReadStreamAsync(CachedSale cached,
        OutboxPosition position, int max)
    {
        var result = new List<(Reservation, OutboxPosition)>();
        var start = position.EntryId;
        while (true)
        {
            var entries = await _database.StreamRangeAsync(cached.Keys.Outbox, start, "+", OutboxEntriesPerRead);
            foreach (var entry in entries)
            {
                // The range starts at the position's own entry: what of it was read already is skipped.
                var first = entry.Id == position.EntryId ? position.Taken : 0;
                for (var k = first; k < entry.Values.Length; k++)
                {
                    var field = entry.Values[k];
                    var reservation = DecisionCodec.ReadReservation(cached.Sale, (long)field.Name,
                        (string)field.Value!);
                    result.Add((reservation, new OutboxPosition(entry.Id, k + 1)));
                    if (result.Count >= max) return result;
                }
            }

            if (entries.Length < OutboxEntriesPerRead) return result;
            start = "(" + entries[^1].Id;
        }
    }
}
