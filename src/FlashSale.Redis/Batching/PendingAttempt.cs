using FlashSale.Core.Purchases;

namespace FlashSale.Redis.Batching;

/// <summary>A purchase attempt waiting for its sale's next batch.</summary>
internal sealed class PendingAttempt(int itemIndex, string userId, string? requestId)
{
    private readonly TaskCompletionSource<Decision> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ItemIndex { get; } = itemIndex;

    public string UserId { get; } = userId;

    public string? RequestId { get; } = requestId;

    public Task<Decision> Decision => _done.Task;

    public void Complete(Decision decision) => _done.TrySetResult(decision);
}
