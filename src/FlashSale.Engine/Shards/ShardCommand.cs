namespace FlashSale.Engine.Shards;

/// <summary>
/// An operator command or query run on a shard's worker, answered once the batch it ran in is durable.
/// </summary>
internal sealed class ShardCommand<T>(Func<ShardWorker, T> run) : ShardOperation
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public Task<T> Task => _completion.Task;

    public override void Execute(ShardWorker worker)
    {
        try
        {
            _result = run(worker);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _error = e;
        }
    }

    public override void Complete()
    {
        if (_error is not null) _completion.TrySetException(_error);
        else _completion.TrySetResult(_result!);
    }

    public override void Abort(Exception error) => Fail(error);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
