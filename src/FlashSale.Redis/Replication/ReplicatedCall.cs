using StackExchange.Redis;

namespace FlashSale.Redis.Replication;

/// <summary>One script call waiting for its primary's writer: the command, then its reply and WAIT's count.</summary>
internal sealed class ReplicatedCall(RedisValue[] command)
{
    private readonly TaskCompletionSource<ReplicatedReply> _done =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>EVALSHA sha 1 key args...</c></summary>
    public RedisValue[] Command { get; } = command;

    public Task<ReplicatedReply> Reply => _done.Task;

    public void Complete(ReplicatedReply reply) => _done.TrySetResult(reply);

    public void Fail(Exception exception) => _done.TrySetException(exception);
}
