using System.Globalization;
using System.Text.Json;
using FlashSale.Core.Admission;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Redis.Batching;
using FlashSale.Redis.Catalog;
using FlashSale.Redis.Keys;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    /// <summary>
    /// Every sale this gateway knows, in creation order (a sale made on another gateway appears within a refresh, or at
    /// once by pub/sub).
    /// </summary>
    public IReadOnlyList<Sale> Sales
    {
        get
        {
            var ordered = Volatile.Read(ref _ordered);
            var sales = new Sale[ordered.Length];
            for (var i = 0; i < ordered.Length; i++) sales[i] = ordered[i].Sale;
            return sales;
        }
    }

    /// <summary>A sale by id from this gateway's cache, or null (see <see cref="FindSaleAsync"/>).</summary>
    public Sale? FindSale(string saleId) => _sales.TryGetValue(saleId, out var cached) ? cached.Sale : null;

    /// <summary>
    /// A sale by id, read from Redis when this gateway does not know it yet; null when there is none.
    /// </summary>
    public ValueTask<Sale?> FindSaleAsync(string saleId) => _sales.TryGetValue(saleId, out var cached)
        ? new ValueTask<Sale?>(cached.Sale)
        : LoadSaleAsync(saleId);

    private async ValueTask<Sale?> LoadSaleAsync(string saleId) => (await FindOrLoadAsync(saleId))?.Sale;

    /// <summary>
    /// The sale's state now: scheduled, open, sold out (every item, as this gateway's flags say) or ended.
    /// </summary>
    public SalePhase PhaseOf(Sale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var now = NowMs;
        if (sale.IsNotStarted(now)) return SalePhase.Scheduled;
        if (sale.IsEnded(now)) return SalePhase.Ended;
        return _sales.TryGetValue(sale.Id, out var cached) && cached.AllSoldOut ? SalePhase.SoldOut : SalePhase.Open;
    }

    /// <summary>Units of an item not yet won; may lag by a moment (a refresh, or this gateway's last batch).</summary>
    public int Remaining(string saleId, int itemIndex) =>
        _sales.TryGetValue(saleId, out var cached) ? Volatile.Read(ref cached.Remaining[itemIndex]) : 0;

    /// <summary>True while this gateway's flag says the item is sold out.</summary>
    public bool IsSoldOut(string saleId, int itemIndex) => _sales.TryGetValue(saleId, out var cached)
        && cached.IsSoldOut(itemIndex);

    /// <summary>Creates a sale in its slot, lists it, and tells the other gateways.</summary>
    public async ValueTask<CreateSaleResult> CreateSaleAsync(SaleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Validate() is { } error) return new CreateSaleResult(null, error, false);

        // The waiting room keeps its queue in one process's memory: refused here rather than silently left out.
        if (definition.WaitingRoom is not null)
        {
            return new CreateSaleResult(
                null, "waitingRoom is not available in cluster mode yet (the room lives in one process)", false);
        }

        // Times are kept as UTC Unix milliseconds, as the embedded journal keeps them. The strategy is kept beside
        // the definition, in its own key, as a later change keeps it.
        var admission = definition.Admission;
        definition = definition with
        {
            Admission = AdmissionStrategy.Default,
            StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(definition.StartsAt.ToUnixTimeMilliseconds()),
            EndsAt = definition.EndsAt is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(
                end.ToUnixTimeMilliseconds()) : null,
        };
        var sale = new Sale(definition);
        sale.ChangeAdmission(admission);
        var keys = _keys.Sale(sale.Id);
        var created = NowMs;
        var args = new List<RedisValue>
        {
            keys.Tag,
            JsonSerializer.Serialize(definition, StoreJson.Default.SaleDefinition),
            sale.StartsAtMs,
            definition.EndsAt is null ? "" : sale.EndsAtMs,
            definition.PerUserLimit,
            definition.HoldSeconds * 1000L,
            created,
            definition.Items.Count,
        };
        foreach (var item in definition.Items) args.Add(item.Stock);
        if (definition.EligibleUsers is { } eligible)
        {
            if (eligible.Count == 0) args.Add("");
            foreach (var user in eligible) args.Add(user);
        }

        var result = await _scripts.Create.EvaluateAsync(_database, keys.Meta, [.. args]);
        if ((int)result == 0) return new CreateSaleResult(null, null, true);
        if (!admission.IsDefault)
        {
            await _database.StringSetAsync(keys.Admission,
                JsonSerializer.Serialize(admission, StoreJson.Default.AdmissionStrategy));
        }

        await _database.SortedSetAddAsync(_keys.Sales, sale.Id, created);
        await AddAsync(sale, created);
        await _subscriber.PublishAsync(_keys.Catalog, "created:" + sale.Id);
        return new CreateSaleResult(sale, null, false);
    }

    /// <summary>
    /// Closes a sale: from now on its purchases answer <c>ended</c> on every gateway. Returns null for an unknown sale.
    /// </summary>
    public async ValueTask<Sale?> CloseSaleAsync(string saleId)
    {
        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) return null;
        var closed = await _scripts.Close.EvaluateAsync(_database, cached.Keys.Meta, [NowMs]);
        if (closed.IsNull) return null;
        cached.Sale.Close((long)closed);
        await _subscriber.PublishAsync(_keys.Catalog, string.Create(CultureInfo.InvariantCulture,
            $"closed:{(long)closed}:{saleId}"));
        return cached.Sale;
    }

    /// <summary>
    /// Reads again what other gateways may have changed: new sales, closes, every item's sold-out flag and units left.
    /// Runs every <see cref="RedisStoreOptions.RefreshInterval"/>; may read replicas, since all of it may lag.
    /// </summary>
    public async Task RefreshAsync()
    {
        var ids = await _database.SortedSetRangeByRankAsync(_keys.Sales, 0, -1, Order.Ascending,
            CommandFlags.PreferReplica);
        foreach (var id in ids)
        {
            if (!_sales.ContainsKey(id.ToString())) await FindOrLoadAsync(id.ToString());
        }

        foreach (var cached in Volatile.Read(ref _ordered)) await RefreshSaleAsync(cached);
        await LoadBlocksAsync(CommandFlags.PreferReplica);
        await FlushStatsAsync();
    }

    private async Task RefreshSaleAsync(CachedSale cached)
    {
        // Versions before units: a pair read across a change then carries the older version, which the next message or
        // refresh overtakes; never a version newer than its state.
        var versions = await _database.HashGetAllAsync(cached.Keys.FlagVersions, CommandFlags.PreferReplica);
        var stock = await _database.HashGetAllAsync(cached.Keys.Stock, CommandFlags.PreferReplica);
        var closed = await _database.HashGetAsync(cached.Keys.Meta, "closed", CommandFlags.PreferReplica);
        foreach (var entry in versions) ApplyFlag(cached, (int)entry.Name, (long)entry.Value, publish: false);
        foreach (var entry in stock)
        {
            var item = (int)entry.Name;
            if (item < cached.Remaining.Length) Volatile.Write(ref cached.Remaining[item], (int)entry.Value);
        }

        if (!closed.IsNull) cached.Sale.Close((long)closed);
        await LoadAdmissionAsync(cached, CommandFlags.PreferReplica);
    }

    private async Task<CachedSale?> FindOrLoadAsync(string saleId)
    {
        if (_sales.TryGetValue(saleId, out var cached)) return cached;
        if (!SaleDefinition.IsValidId(saleId)) return null;
        var keys = _keys.Sale(saleId);
        var json = await _database.StringGetAsync(keys.Definition);
        if (json.IsNull) return null;
        var meta = await _database.HashGetAsync(keys.Meta, ["created", "closed"]);
        var definition = JsonSerializer.Deserialize((string)json!, StoreJson.Default.SaleDefinition)
            ?? throw new InvalidDataException($"sale '{saleId}' has no definition");
        var sale = new Sale(definition);
        if (!meta[1].IsNull) sale.Close((long)meta[1]);
        var admission = await _database.StringGetAsync(keys.Admission);
        if (!admission.IsNull
            && JsonSerializer.Deserialize((string)admission!, StoreJson.Default.AdmissionStrategy) is { } strategy
            && strategy.Validate() is null)
        {
            sale.ChangeAdmission(strategy);
        }

        cached = await AddAsync(sale, (long)meta[0]);
        await RefreshSaleAsync(cached);
        return cached;
    }

    private async Task<CachedSale> AddAsync(Sale sale, long createdMs)
    {
        var cached = Add(sale, createdMs, out var added);
        if (added) await _subscriber.SubscribeAsync(cached.Keys.Flags, (_, message) => OnFlagMessage(cached, message));
        return cached;
    }

    private CachedSale Add(Sale sale, long createdMs, out bool added)
    {
        lock (_catalogGate)
        {
            added = false;
            if (_sales.TryGetValue(sale.Id, out var existing)) return existing;
            CachedSale? cached = null;
            var batcher = new SlotBatcher(
                _options.QueueCapacity,
                _options.MaxBatchSize,
                _options.BatchWindow,
                _options.MaxBatchesInFlight,
                batch => SendBatchAsync(cached!, batch));
            cached = new CachedSale(sale, _keys.Sale(sale.Id), createdMs, batcher);
            _sales[sale.Id] = cached;
            var ordered = new List<CachedSale>(_ordered) { cached };
            ordered.Sort(static (a, b) => a.CreatedMs != b.CreatedMs
                ? a.CreatedMs.CompareTo(b.CreatedMs)
                : string.CompareOrdinal(a.Sale.Id, b.Sale.Id));
            Volatile.Write(ref _ordered, [.. ordered]);
            added = true;
            return cached;
        }
    }

    private void OnCatalogMessage(RedisValue message)
    {
        var text = (string)message!;
        if (text.StartsWith("created:", StringComparison.Ordinal))
        {
            _ = LoadQuietlyAsync(text["created:".Length..]);
        }
        else if (text.StartsWith("admission:", StringComparison.Ordinal))
        {
            _ = LoadAdmissionQuietlyAsync(text["admission:".Length..]);
        }
        else if (text == "blocks")
        {
            _ = LoadBlocksQuietlyAsync();
        }
        else if (text.StartsWith("closed:", StringComparison.Ordinal))
        {
            var rest = text.AsSpan("closed:".Length);
            var colon = rest.IndexOf(':');
            if (colon > 0
                && long.TryParse(rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var atMs)
                && _sales.TryGetValue(rest[(colon + 1)..].ToString(), out var cached))
            {
                cached.Sale.Close(atMs);
            }
        }
    }

    private async Task LoadQuietlyAsync(string saleId)
    {
        try
        {
            await FindOrLoadAsync(saleId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            RedisLog.RefreshFailed(_logger, e);
        }
    }
}
