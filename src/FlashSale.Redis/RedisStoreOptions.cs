namespace FlashSale.Redis;

/// <summary>How the Redis store runs. Bound from configuration section <c>FlashSale:Redis</c> by the server.</summary>
public sealed class RedisStoreOptions
{
    /// <summary>The StackExchange.Redis configuration string (one primary, or any nodes of a cluster).</summary>
    public string Configuration { get; set; } = "";

    /// <summary>
    /// The namespace of every key and channel (several deployments, or test runs, may share one Redis).
    /// </summary>
    public string KeyPrefix { get; set; } = "fs";

    /// <summary>Most attempts of one sale sent in one script call.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How long a sale's batcher waits for more attempts once one is waiting and the batch is not full (zero: send at
    /// once; attempts still gather while earlier batches are in flight). Timer resolution makes this at least ~1 ms.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Batches of one sale in flight at once; more attempts wait and join the next batch.</summary>
    public int MaxBatchesInFlight { get; set; } = 2;

    /// <summary>Attempts waiting per sale before new ones are answered busy.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// How often a batch whose reply was lost (timeout, reset) is sent again, with the same attempt ids, before its
    /// attempts are answered busy.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>How long Redis keeps each batch's reply for such resends.</summary>
    public TimeSpan AttemptRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often sales, sold-out flags, remaining counts and closes are read again (the fallback of pub/sub); zero
    /// turns it off.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often due holds are expired (by the one gateway holding the expiry lease); zero turns it off.
    /// </summary>
    public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the expiry lease lasts without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of each Redis command, in milliseconds (StackExchange.Redis sync and async timeouts).</summary>
    public int CommandTimeoutMs { get; set; } = 2000;

    /// <summary>
    /// Replicas that must hold a batch's wins before they are answered <c>won</c> (zero: off, wins are answered once
    /// the primary has them). With N &gt;= 1 every decision call goes over a dedicated connection per primary,
    /// followed by <c>WAIT N</c>; wins not confirmed within <see cref="WaitTimeout"/> are answered busy (they stay
    /// recorded, so a repeat with the same requestId gets them).
    /// </summary>
    public int WaitReplicas { get; set; }

    /// <summary>How long <c>WAIT</c> waits for <see cref="WaitReplicas"/> replicas to confirm a batch.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns why these options are invalid, or null.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Configuration)) return "Configuration is required";
        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > 32 || KeyPrefix.AsSpan().IndexOfAny("{}: ") >= 0)
        {
            return "KeyPrefix must be 1-32 characters without braces, colons or spaces";
        }

        if (MaxBatchSize is < 1 or > 1024) return "MaxBatchSize must be 1-1024";
        if (BatchWindow < TimeSpan.Zero || BatchWindow > TimeSpan.FromMilliseconds(100))
        {
            return "BatchWindow must be 0-100 ms";
        }

        if (MaxBatchesInFlight < 1) return "MaxBatchesInFlight must be at least 1";
        if (QueueCapacity < 1) return "QueueCapacity must be at least 1";
        if (MaxRetries < 0) return "MaxRetries must not be negative";
        if (AttemptRetention < TimeSpan.FromSeconds(10)) return "AttemptRetention must be at least 10 s";
        if (RefreshInterval < TimeSpan.Zero || ExpiryInterval < TimeSpan.Zero) return "intervals must not be negative";
        if (LeaseDuration < TimeSpan.FromMilliseconds(100)) return "LeaseDuration must be at least 100 ms";
        if (CommandTimeoutMs < 10) return "CommandTimeoutMs must be at least 10";
        if (WaitReplicas is < 0 or > 16) return "WaitReplicas must be 0 (off) to 16";
        if (WaitReplicas > 0 && (WaitTimeout < TimeSpan.FromMilliseconds(1) || WaitTimeout > TimeSpan.FromSeconds(30)))
        {
            return "WaitTimeout must be 1 ms to 30 s";
        }

        return null;
    }
}
