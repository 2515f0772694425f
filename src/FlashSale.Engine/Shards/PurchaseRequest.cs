using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using FlashSale.Core.Purchases;
using FlashSale.Engine.Catalog;

namespace FlashSale.Engine.Shards;

/// <summary>
/// One purchase attempt in a shard's queue, awaited as a <see cref="ValueTask{Decision}"/>. Pooled: the object is
/// reused once its caller has read the decision, so the decision path allocates no task per attempt.
/// </summary>
internal sealed class PurchaseRequest : ShardWork, IValueTaskSource<Decision>
{
    // Enough for every shard's default queue to be full at once without allocating.
    private const int MaxPooled = 1 << 15;
    private static readonly ConcurrentQueue<PurchaseRequest> Pool = new();
    private static int _pooled;

    private bool _answered;
    private ManualResetValueTaskSourceCore<Decision> _core = new() { RunContinuationsAsynchronously = true };

    public SaleEntry Entry { get; private set; } = null!;

    public int ItemIndex { get; private set; }

    public string UserId { get; private set; } = null!;

    public string? RequestId { get; private set; }

    public Decision Result { get; set; }

    public static PurchaseRequest Rent(SaleEntry entry, int itemIndex, string userId, string? requestId)
    {
        if (Pool.TryDequeue(out var request)) Interlocked.Decrement(ref _pooled);
        else request = new PurchaseRequest();
        request.Entry = entry;
        request.ItemIndex = itemIndex;
        request.UserId = userId;
        request.RequestId = requestId;
        request._answered = false;
        return request;
    }

    public ValueTask<Decision> AsValueTask() => new(this, _core.Version);

    public override void Complete()
    {
        if (_answered) return;
        _answered = true;
        Entry.Stats.Count(Result.Outcome);
        _core.SetResult(Result);
    }

    public override void Abort(Exception error) => CompleteBusy();

    /// <summary>Answers without deciding (shutdown).</summary>
    public void CompleteBusy()
    {
        Result = Decision.Of(Outcome.Busy);
        Complete();
    }

    public Decision GetResult(short token)
    {
        var result = _core.GetResult(token);
        _core.Reset();
        Entry = null!;
        UserId = null!;
        RequestId = null;
        Result = default;
        if (Interlocked.Increment(ref _pooled) <= MaxPooled) Pool.Enqueue(this);
        else Interlocked.Decrement(ref _pooled);
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
