using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Redis.Batching;
using FlashSale.Redis.Keys;

namespace FlashSale.Redis.Catalog;

/// <summary>
/// What a gateway keeps of one sale: the definition (immutable), its keys, its batcher, and caches that may lag:
/// units left per item, each item's sold-out flag version (odd: sold out; a version only ever grows, so a late or
/// repeated message cannot undo a newer one), and answers counted here but not yet added to Redis.
/// </summary>
internal sealed class CachedSale
{
    private readonly long[] _pendingCounts = new long[OutcomeWords.TableSize];

    public CachedSale(Sale sale, SaleKeys keys, long createdMs, SlotBatcher batcher)
    {
        Sale = sale;
        CreatedMs = createdMs;
        Keys = keys;
        Batcher = batcher;
        Remaining = new int[sale.ItemCount];
        FlagVersions = new long[sale.ItemCount];
        for (var i = 0; i < sale.ItemCount; i++)
        {
            Remaining[i] = sale.Definition.Items[i].Stock;
            FlagVersions[i] = Remaining[i] == 0 ? 1 : 0;
        }
    }

    public Sale Sale { get; }

    public long CreatedMs { get; }

    public SaleKeys Keys { get; }

    public SlotBatcher Batcher { get; }

    public int[] Remaining { get; }

    public long[] FlagVersions { get; }

    public bool IsSoldOut(int itemIndex) => (Volatile.Read(ref FlagVersions[itemIndex]) & 1) == 1;

    public bool AllSoldOut
    {
        get
        {
            for (var i = 0; i < FlagVersions.Length; i++)
            {
                if (!IsSoldOut(i)) return false;
            }

            return true;
        }
    }

    /// <summary>
    /// Takes a flag version if it is newer than the one held. Returns true when the sold-out state changed.
    /// </summary>
    public bool ApplyFlag(int itemIndex, long version)
    {
        while (true)
        {
            var current = Volatile.Read(ref FlagVersions[itemIndex]);
            if (version <= current) return false;
            if (Interlocked.CompareExchange(ref FlagVersions[itemIndex], version, current) == current)
            {
                return ((current ^ version) & 1) == 1;
            }
        }
    }

    public void Count(Outcome outcome) => Interlocked.Increment(ref _pendingCounts[(int)outcome]);

    /// <summary>Takes the answers counted here since the last call (to add them to Redis).</summary>
    public long TakePending(Outcome outcome) => Interlocked.Exchange(ref _pendingCounts[(int)outcome], 0);

    /// <summary>Puts back counts that could not be added to Redis.</summary>
    public void ReturnPending(Outcome outcome, long count) => Interlocked.Add(ref _pendingCounts[(int)outcome], count);
}
