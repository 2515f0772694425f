namespace FlashSale.Core.Shards;

/// <summary>
/// Maps a buyer to a shard with a stable hash (FNV-1a over the id's UTF-16 code units), the same in every process
/// and version.
/// </summary>
public static class ShardRouter
{
    /// <summary>The shard of <paramref name="userId"/> among <paramref name="shardCount"/>.</summary>
    public static int ShardOf(string userId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var hash = 2166136261u;
        foreach (var c in userId)
        {
            hash = (hash ^ (byte)c) * 16777619u;
            hash = (hash ^ (byte)(c >> 8)) * 16777619u;
        }

        return (int)(hash % (uint)shardCount);
    }
}
