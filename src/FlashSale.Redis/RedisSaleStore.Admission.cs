using System.Globalization;
using System.Text.Json;
using FlashSale.Core.Admission;
using FlashSale.Core.Sales;
using FlashSale.Redis.Catalog;
using StackExchange.Redis;

namespace FlashSale.Redis;

/// <summary>
/// Admission state in cluster mode: a sale's strategy (a string in the sale's slot), the block list (one hash outside
/// any sale's slot, written rarely) and used one-time passes (a key per pass in the sale's slot, with the pass's
/// expiry). Changes are announced on the catalog channel and read again on every refresh, so every gateway applies
/// them within a message or a refresh interval.
/// </summary>
public sealed partial class RedisSaleStore
{
    private Block[] _blocks = [];

    /// <summary>The block list as this gateway last read it.</summary>
    public IReadOnlyList<Block> Blocks => Volatile.Read(ref _blocks);

    /// <summary>Stores a sale's new strategy, applies it here, and tells the other gateways.</summary>
    public async ValueTask<Sale?> ChangeAdmissionAsync(string saleId, AdmissionStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.Validate() is { } error) throw new ArgumentException(error, nameof(strategy));
        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) return null;
        await _database.StringSetAsync(cached.Keys.Admission,
            JsonSerializer.Serialize(strategy, StoreJson.Default.AdmissionStrategy));
        cached.Sale.ChangeAdmission(strategy);
        await _subscriber.PublishAsync(_keys.Catalog, "admission:" + saleId);
        return cached.Sale;
    }

    /// <summary>Adds (or replaces) an entry of the block list and tells the other gateways.</summary>
    public async ValueTask AddBlockAsync(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        await _database.HashSetAsync(_keys.Blocks, BlockField(block.Kind, block.Value),
            JsonSerializer.Serialize(block, StoreJson.Default.Block));
        await LoadBlocksAsync(CommandFlags.None);
        await _subscriber.PublishAsync(_keys.Catalog, "blocks");
    }

    /// <summary>Removes an entry of the block list; false when there was none.</summary>
    public async ValueTask<bool> RemoveBlockAsync(BlockKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var removed = await _database.HashDeleteAsync(_keys.Blocks, BlockField(kind, value));
        await LoadBlocksAsync(CommandFlags.None);
        if (removed) await _subscriber.PublishAsync(_keys.Catalog, "blocks");
        return removed;
    }

    /// <summary>
    /// Marks a solved challenge used: <c>SET {sale}:once:&lt;nonce&gt; 1 NX PX &lt;until expiry&gt;</c>, in the sale's
    /// slot, so a replay on any gateway finds it.
    /// </summary>
    public async ValueTask<bool> TryUseOnceAsync(string saleId, UInt128 nonce, long expiresAtMs)
    {
        var ttl = Math.Max(1, expiresAtMs - NowMs);
        var key = _keys.Sale(saleId).Tag + ":once:" + nonce.ToString("x32", CultureInfo.InvariantCulture);
        return await _database.StringSetAsync(key, 1, TimeSpan.FromMilliseconds(ttl), When.NotExists);
    }

    private static string BlockField(BlockKind kind, string value) =>
        ((byte)kind).ToString(CultureInfo.InvariantCulture) + ":" + value;

    private async Task LoadBlocksAsync(CommandFlags flags)
    {
        var entries = await _database.HashValuesAsync(_keys.Blocks, flags);
        var blocks = new List<Block>(entries.Length);
        foreach (var entry in entries)
        {
            if (JsonSerializer.Deserialize((string)entry!, StoreJson.Default.Block) is { } block) blocks.Add(block);
        }

        Volatile.Write(ref _blocks, [.. blocks]);
    }

    /// <summary>Reads a sale's strategy from its slot (none stored: the defaults) and puts it in force here.</summary>
    private async Task LoadAdmissionAsync(CachedSale cached, CommandFlags flags)
    {
        var json = await _database.StringGetAsync(cached.Keys.Admission, flags);
        var strategy = json.IsNull
            ? AdmissionStrategy.Default
            : JsonSerializer.Deserialize((string)json!, StoreJson.Default.AdmissionStrategy);
        if (strategy is not null && strategy.Validate() is null && !strategy.Equals(cached.Sale.Admission))
        {
            cached.Sale.ChangeAdmission(strategy);
        }
    }

    private async Task LoadAdmissionQuietlyAsync(string saleId)
    {
        try
        {
            if (_sales.TryGetValue(saleId, out var cached)) await LoadAdmissionAsync(cached, CommandFlags.None);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            RedisLog.RefreshFailed(_logger, e);
        }
    }

    private async Task LoadBlocksQuietlyAsync()
    {
        try
        {
            await LoadBlocksAsync(CommandFlags.None);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            RedisLog.RefreshFailed(_logger, e);
        }
    }
}
