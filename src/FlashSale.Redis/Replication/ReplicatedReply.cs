using StackExchange.Redis;

namespace FlashSale.Redis.Replication;

/// <summary>
/// A script's reply and how many replicas <c>WAIT</c> counted as holding every write made before it on the same
/// connection (this call's among them).
/// </summary>
internal readonly record struct ReplicatedReply(RedisResult Result, long Replicas);
