using FlashSale.Core.Purchases;

namespace FlashSale.Redis.Batching;

/// <summary>A purchase attempt waiting for its sale's next batch, with the id that makes a resend safe.</summary>
internal sealed class PendingAttempt(string attemptId, int itemIndex, string userId, string? requestId)
{
    private readonly TaskCompletionSource<Decision> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Unique across gateways and time; the script records the decision under it.</summary>
    public string AttemptId { get; } = attemptId;

    public int ItemIndex { get; } = itemIndex;

    public string UserId { get; } = userId;

    public string? RequestId { get; } = requestId;

    public Task<Decision> Decision => _done.Task;

    public void Complete(Decision decision) => _done.TrySetResult(decision);
}
