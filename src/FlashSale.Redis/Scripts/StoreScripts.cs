using StackExchange.Redis;

namespace FlashSale.Redis.Scripts;

/// <summary>The store's scripts (embedded resources <c>Scripts/*.lua</c>).</summary>
internal sealed class StoreScripts(IConnectionMultiplexer connection)
{
    /// <summary>Decides a batch of purchase attempts of one sale.</summary>
    public StoreScript Decide { get; } = StoreScript.FromResource(connection, "decide");

    /// <summary>Confirm, cancel, or expire the due holds of a sale.</summary>
    public StoreScript Change { get; } = StoreScript.FromResource(connection, "change");

    /// <summary>Creates a sale.</summary>
    public StoreScript Create { get; } = StoreScript.FromResource(connection, "create");

    /// <summary>Closes a sale.</summary>
    public StoreScript Close { get; } = StoreScript.FromResource(connection, "close");

    /// <summary>Renews the expiry lease.</summary>
    public StoreScript Lease { get; } = StoreScript.FromResource(connection, "lease");

    /// <summary>Saves a delivery's cursor, fenced by its lease.</summary>
    public StoreScript Checkpoint { get; } = StoreScript.FromResource(connection, "checkpoint");

    public async Task LoadAllAsync()
    {
        foreach (var script in (StoreScript[])[Decide, Change, Create, Close, Lease, Checkpoint])
        {
            await script.LoadAsync();
        }
    }
}
