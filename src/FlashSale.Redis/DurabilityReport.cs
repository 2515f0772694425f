namespace FlashSale.Redis;

/// <summary>
/// What the primaries' persistence and replication settings mean for acknowledged wins (see
/// <see cref="RedisSaleStore.CheckDurabilityAsync"/>).
/// </summary>
/// <param name="CanLoseWins">
/// True when a <c>won</c> told to a buyer could be lost: a primary without <c>appendonly yes</c> and
/// <c>appendfsync always</c>, settings that could not be read, or replicas that a failover could promote while
/// <see cref="RedisStoreOptions.WaitReplicas"/> is 0.
/// </param>
/// <param name="Warnings">One line per risk found, saying what could be lost and why (empty when none).</param>
/// <param name="Primaries">One line per primary: its address, persistence settings and connected replicas.</param>
public sealed record DurabilityReport(bool CanLoseWins, IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Primaries);
