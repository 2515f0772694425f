using FlashSale.Core.Shards;

namespace FlashSale.Engine.Stock;

/// <summary>
/// Where one item's units are: a shared pool and a count per shard. Shards take units in chunks, so this lock is
/// met once per chunk, not once per decision. Each shard's count is written only by that shard's worker; others
/// read it under the lock, where a stale value can only be too high (a sale in flight), which is safe: it makes a
/// shard ask for units back rather than wrongly answer sold_out.
/// </summary>
internal sealed class ItemStock
{
    private readonly Lock _gate = new();
    private readonly Lock _announceGate = new();
    private readonly int[] _shardUnits;
    private int _pool;
    private volatile bool _soldOut;
    private bool _announcedSoldOut;

    public ItemStock(int pool, int[] shardUnits)
    {
        _pool = pool;
        _shardUnits = shardUnits;
        _soldOut = pool == 0 && !shardUnits.Any(u => u > 0);
        _announcedSoldOut = _soldOut;
    }

    /// <summary>True once no unit is left in the pool or any shard; cleared when a unit comes back.</summary>
    public bool SoldOut => _soldOut;

    /// <summary>Units not yet sold (pool plus shards); may lag by a moment.</summary>
    public int Remaining
    {
        get
        {
            var total = Volatile.Read(ref _pool);
            for (var i = 0; i < _shardUnits.Length; i++) total += Volatile.Read(ref _shardUnits[i]);
            return total;
        }
    }

    /// <summary>Units the pool holds now.</summary>
    public int Pool => Volatile.Read(ref _pool);

    /// <summary>Units shard <paramref name="shard"/> holds, as last published.</summary>
    public int UnitsAt(int shard) => Volatile.Read(ref _shardUnits[shard]);

    /// <summary>
    /// Takes a chunk for <paramref name="shard"/>: a share of the pool that shrinks as it empties, so few units are
    /// stranded at the end. See <see cref="IStockSource.Take"/> for the answers. <paramref name="becameSoldOut"/>
    /// tells the caller to announce the item sold out.
    /// </summary>
    public int Take(int shard, int maxChunk, out bool becameSoldOut)
    {
        becameSoldOut = false;
        lock (_gate)
        {
            if (_pool > 0)
            {
                var units = Math.Clamp(_pool / (2 * _shardUnits.Length), 1, maxChunk);
                _pool -= units;
                _shardUnits[shard] += units;
                return units;
            }

            for (var i = 0; i < _shardUnits.Length; i++)
            {
                if (i != shard && _shardUnits[i] > 0) return IStockSource.HeldElsewhere;
            }

            if (_shardUnits[shard] > 0) return IStockSource.HeldElsewhere;
            becameSoldOut = !_soldOut;
            _soldOut = true;
            return IStockSource.SoldOut;
        }
    }

    /// <summary>
    /// Shard <paramref name="shard"/> sold one of its units. Returns true when that made the item sold out.
    /// </summary>
    public bool Sold(int shard)
    {
        Volatile.Write(ref _shardUnits[shard], _shardUnits[shard] - 1);
        if (_shardUnits[shard] > 0 || Volatile.Read(ref _pool) > 0) return false;
        lock (_gate)
        {
            if (_soldOut || _pool > 0) return false;
            foreach (var units in _shardUnits)
            {
                if (units > 0) return false;
            }

            _soldOut = true;
            return true;
        }
    }

    /// <summary>
    /// Calls <paramref name="announce"/> with the sold-out state as it is now, when that differs from the last state
    /// announced; one caller at a time, so announcements keep the order of the states they tell.
    /// </summary>
    public void Announce<TState>(TState state, Action<TState, bool> announce)
    {
        ArgumentNullException.ThrowIfNull(announce);
        lock (_announceGate)
        {
            var soldOut = _soldOut;
            if (soldOut == _announcedSoldOut) return;
            _announcedSoldOut = soldOut;
            announce(state, soldOut);
        }
    }

    /// <summary>
    /// Shard <paramref name="shard"/> gave back <paramref name="units"/> unsold units (durably journaled).
    /// </summary>
    public void Returned(int shard, int units)
    {
        lock (_gate)
        {
            _pool += units;
            _shardUnits[shard] -= units;
        }
    }

    /// <summary>
    /// A cancelled or expired reservation's unit is back (durably journaled). Returns true when that lifted
    /// sold-out.
    /// </summary>

    public bool Freed()
    {
        lock (_gate)
        {
            _pool++;
            var wasSoldOut = _soldOut;
            _soldOut = false;
            return wasSoldOut;
        }
    }
}
