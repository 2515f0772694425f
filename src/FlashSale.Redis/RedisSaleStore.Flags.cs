using System.Globalization;
using FlashSale.Core.Stores;
using FlashSale.Redis.Catalog;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    /// <summary>
    /// Takes an item's flag version (odd: sold out) if it is newer than this gateway's; on a change, tells the
    /// subscribers and, when this gateway saw it first (its own decision), the other gateways, on the sale's sharded
    /// channel (SPUBLISH: on a cluster it stays on the slot's node and its replicas).
    /// </summary>
    private void ApplyFlag(CachedSale cached, int itemIndex, long version, bool publish)
    {
        if (itemIndex < 0 || itemIndex >= cached.FlagVersions.Length || !cached.ApplyFlag(itemIndex, version)) return;
        if (publish)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"{itemIndex}:{version}");
            _subscriber.Publish(cached.Keys.Flags, message, CommandFlags.FireAndForget);
        }

        var soldOut = (version & 1) == 1;
        var itemId = cached.Sale.Definition.Items[itemIndex].Id;
        RedisLog.Availability(_logger, cached.Sale.Id, itemId, soldOut ? "sold out" : "back on sale");
        try
        {
            AvailabilityChanged?.Invoke(new ItemAvailability(cached.Sale.Id, itemId, soldOut));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RedisLog.SubscriberFailed(_logger, e);
        }
    }

    private void OnFlagMessage(CachedSale cached, RedisValue message)
    {
        var text = ((string?)message).AsSpan();
        var colon = text.IndexOf(':');
        if (colon > 0
            && int.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var item)
            && long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            ApplyFlag(cached, item, version, publish: false);
        }
    }

    /// <summary>Applies the (item, units left, flag version or -1) triples of a script's reply.</summary>
    private void ApplyItems(CachedSale cached, RedisResult[] reply, int from)
    {
        for (var i = from; i + 2 < reply.Length; i += 3)
        {
            var item = (int)reply[i];
            if (item < 0 || item >= cached.Remaining.Length) continue;
            Volatile.Write(ref cached.Remaining[item], (int)reply[i + 1]);
            var version = (long)reply[i + 2];
            if (version >= 0) ApplyFlag(cached, item, version, publish: true);
        }
    }
}
