using FlashSale.Core.Purchases;
using FlashSale.Core.Shards;
using FlashSale.Engine.Catalog;

namespace FlashSale.Engine.Shards;

internal sealed partial class ShardWorker
{
    /// <summary>
    /// Decides one attempt; one that must wait for units held by other shards is parked, not answered.
    /// </summary>
    public void Decide(PurchaseRequest request)
    {
        var decision = Decide(request.Entry, request.ItemIndex, request);
        if (decision.Outcome == Outcome.WaitingForStock)
        {
            Park(request);
            return;
        }

        request.Result = decision;
        _done.Add(request);
    }

    /// <summary>
    /// Gives this shard's unsold units of an item back to the pool (after the batch is durable), then tells the
    /// asking shard.
    /// </summary>
    public void Release(SaleEntry entry, int itemIndex, int toShard)
    {
        var units = State.Release(entry.Sale.Id, itemIndex, this);
        _returned.Add((entry.Items[itemIndex], units, toShard, entry, itemIndex));
    }

    /// <summary>Units may have moved: decide the parked attempts for an item again, in arrival order.</summary>
    public void RetryWaiting(SaleEntry entry, int itemIndex)
    {
        if (!_waiting.TryGetValue((entry, itemIndex), out var waiting)) return;
        if (waiting.Outstanding > 0) waiting.Outstanding--;
        while (waiting.Requests.TryPeek(out var request))
        {
            var decision = Decide(entry, itemIndex, request);
            if (decision.Outcome == Outcome.WaitingForStock) break;
            waiting.Requests.Dequeue();
            request.Result = decision;
            _done.Add(request);
        }

        if (waiting.Requests.Count == 0) _waiting.Remove((entry, itemIndex));
        else if (waiting.Outstanding == 0) AskForUnits(entry, itemIndex, waiting);
    }

    /// <summary>Expires the holds that are due; their units return to the pool once the batch is durable.</summary>
    public void ExpireDue()
    {
        State.ExpireDue(Now, this, _freed);
        ForgetAnswers(State, _context.Catalog, _context.Options.RememberFor, Now);
    }

    /// <summary>Drops the remembered answers of every sale that ended longer ago than the retention.</summary>
    public static void ForgetAnswers(ShardState state, SaleCatalog catalog, TimeSpan rememberFor, long nowMs)
    {
        var retentionMs = (long)rememberFor.TotalMilliseconds;
        foreach (var entry in catalog.All)
        {
            var end = entry.Sale.EndMs;
            if (end != long.MaxValue && end <= nowMs - retentionMs && state.FindAnswers(entry.Sale.Id) is not null)
            {
                state.ForgetAnswers(entry.Sale.Id);
            }
        }
    }

    private Decision Decide(SaleEntry entry, int itemIndex, PurchaseRequest request)
    {
        _deciding = entry;
        var decision = State.Decide(entry.Sale, itemIndex, request.UserId, request.RequestId, Now, this, this);
        _deciding = null;
        return decision;
    }

    private void Park(PurchaseRequest request)
    {
        var key = (request.Entry, request.ItemIndex);
        if (!_waiting.TryGetValue(key, out var waiting))
        {
            waiting = new WaitingAttempts();
            _waiting.Add(key, waiting);
        }

        waiting.Requests.Enqueue(request);
        if (waiting.Outstanding == 0) AskForUnits(request.Entry, request.ItemIndex, waiting);
    }

    private void AskForUnits(SaleEntry entry, int itemIndex, WaitingAttempts waiting)
    {
        var stock = entry.Items[itemIndex];
        var shards = _context.Shards;
        for (var shard = 0; shard < shards.Length; shard++)
        {
            if (shard == Index || stock.UnitsAt(shard) <= 0) continue;
            shards[shard].Post(new ShardMessage(ShardMessage.Kind.Release, entry, itemIndex, Index));
            waiting.Outstanding++;
        }

        // Nobody else holds units any more (they sold them, or ours are on their way back to the pool): look again
        // next batch.
        if (waiting.Outstanding == 0)
        {
            waiting.Outstanding = 1;
            Post(new ShardMessage(ShardMessage.Kind.StockArrived, entry, itemIndex));
        }
    }
}
