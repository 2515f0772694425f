namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    private long _batches;
    private long _batchedAttempts;
    private long _resends;
    private long _unconfirmed;

    /// <summary>Decide script calls answered (one per batch).</summary>
    public long Batches => Volatile.Read(ref _batches);

    /// <summary>
    /// Attempts those calls decided; over <see cref="Batches"/>, the mean batch size (decisions per round trip).
    /// </summary>
    public long BatchedAttempts => Volatile.Read(ref _batchedAttempts);

    /// <summary>
    /// Batches sent again after a lost reply (timeout, broken connection), with the same attempt ids.
    /// </summary>
    public long Resends => Volatile.Read(ref _resends);

    /// <summary>
    /// Batches whose wins <c>WAIT</c> did not confirm on <see cref="RedisStoreOptions.WaitReplicas"/> replicas in time
    /// (their wins were answered busy).
    /// </summary>
    public long Unconfirmed => Volatile.Read(ref _unconfirmed);
}
