using System.Buffers;
using System.Collections.Concurrent;
using FlashSale.Core.Admission;
using FlashSale.Core.Sales;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Catalog;

/// <summary>
/// The sales and the engine's shape, journaled in their own directory. Creating and closing a sale are rare, so
/// each is written and fsynced on its own under a lock; lookups are lock-free.
/// </summary>
internal sealed class SaleCatalog : IDisposable
{
    private readonly ConcurrentDictionary<string, SaleEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly SegmentJournal _journal;
    private readonly Dictionary<(BlockKind, string), Block> _blocks;
    private SaleEntry[] _ordered = [];
    private Block[] _blockList;

    private SaleCatalog(SegmentJournal journal, int shardCount, List<Sale> sales,
        Dictionary<(BlockKind, string), Block> blocks)
    {
        _journal = journal;
        ShardCount = shardCount;
        RecoveredSales = sales;
        _blocks = blocks;
        _blockList = [.. blocks.Values];
    }

    /// <summary>The block list, every entry (lapsed ones too, until removed), in no order.</summary>
    public IReadOnlyList<Block> Blocks => Volatile.Read(ref _blockList);

    /// <summary>The shard count the data directory was made for.</summary>
    public int ShardCount { get; }

    /// <summary>The sales read from the journal, in creation order, until their entries are added.</summary>
    public List<Sale> RecoveredSales { get; }

    /// <summary>Every sale, in creation order.</summary>
    public IReadOnlyList<SaleEntry> All => Volatile.Read(ref _ordered);

    public static SaleCatalog Open(string directory, int configuredShardCount)
    {
        int? shardCount = null;
        var sales = new List<Sale>();
        var byId = new Dictionary<string, Sale>(StringComparer.Ordinal);
        var blocks = new Dictionary<(BlockKind, string), Block>();
        var journal = SegmentJournal.Open(directory, payload =>
        {
            switch (CatalogCodec.Read(payload))
            {
                case CatalogRecord.EngineConfigured configured:
                    shardCount ??= configured.ShardCount;
                    break;
                case CatalogRecord.SaleCreated created:
                    if (created.Definition.Validate() is { } error)
                    {
                        throw new InvalidDataException($"invalid sale: {error}");
                    }
                    var sale = new Sale(created.Definition);
                    if (!byId.TryAdd(sale.Id, sale)) throw new InvalidDataException($"sale '{sale.Id}' created twice");
                    sales.Add(sale);
                    break;
                case CatalogRecord.SaleClosed closed:
                    if (!byId.TryGetValue(closed.SaleId, out var toClose))
                    {
                        throw new InvalidDataException($"close of unknown sale '{closed.SaleId}'");
                    }
                    toClose.Close(closed.AtMs);
                    break;
                case CatalogRecord.AdmissionChanged changed:
                    if (!byId.TryGetValue(changed.SaleId, out var toChange))
                    {
                        throw new InvalidDataException($"admission change of unknown sale '{changed.SaleId}'");
                    }
                    toChange.ChangeAdmission(changed.Strategy);
                    break;
                case CatalogRecord.BlockAdded added:
                    blocks[(added.Block.Kind, added.Block.Value)] = added.Block;
                    break;
                case CatalogRecord.BlockRemoved removed:
                    blocks.Remove((removed.Kind, removed.Value));
                    break;
            }
        });
        var catalog = new SaleCatalog(journal, shardCount ?? configuredShardCount, sales, blocks);
        if (shardCount is null) catalog.Append(new CatalogRecord.EngineConfigured(configuredShardCount));
        return catalog;
    }

    public SaleEntry? Find(string saleId) => _entries.GetValueOrDefault(saleId);

    /// <summary>Adds a sale recovered from the journal.</summary>
    public void AddRecovered(SaleEntry entry)
    {
        lock (_gate) Add(entry);
    }

    /// <summary>
    /// Journals and adds a new sale. False when the id exists, or, with <paramref name="error"/>, when the sale is too
    /// large for one journal record (replay would take it for a damaged header and refuse to start).
    /// </summary>
    public bool TryCreate(Sale sale, Func<Sale, SaleEntry> makeEntry, out string? error)
    {
        error = null;
        var record = new CatalogRecord.SaleCreated(sale.Definition with { Admission = AdmissionStrategy.Default });
        var size = CatalogCodec.PayloadSize(record);
        if (size > RecordFraming.MaxPayload)
        {
            error = $"the sale is too large to journal ({size} bytes encoded, at most {RecordFraming.MaxPayload}): "
                + "shorten the eligibility list";
            return false;
        }

        lock (_gate)
        {
            if (_entries.ContainsKey(sale.Id)) return false;

            // The strategy travels in its own record, as a later change would: one record kind for it, and a sale
            // record that reads as it always did.
            var admission = sale.Admission;
            Append(record, admission.IsDefault ? null : new CatalogRecord.AdmissionChanged(sale.Id, admission));
            Add(makeEntry(sale));
            return true;
        }
    }

    /// <summary>Journals the close of a sale (once); later closes change nothing.</summary>
    public void Close(Sale sale, long atMs)
    {
        lock (_gate)
        {
            if (sale.ClosedAt is not null) return;
            Append(new CatalogRecord.SaleClosed(sale.Id, atMs));
            sale.Close(atMs);
        }
    }

    /// <summary>Journals a sale's new admission strategy, then puts it in force.</summary>
    public void ChangeAdmission(Sale sale, AdmissionStrategy strategy)
    {
        lock (_gate)
        {
            Append(new CatalogRecord.AdmissionChanged(sale.Id, strategy));
            sale.ChangeAdmission(strategy);
        }
    }

    /// <summary>Journals a block list entry (replacing one for the same buyer or range), then applies it.</summary>
    public void AddBlock(Block block)
    {
        lock (_gate)
        {
            Append(new CatalogRecord.BlockAdded(block));
            _blocks[(block.Kind, block.Value)] = block;
            Volatile.Write(ref _blockList, [.. _blocks.Values]);
        }
    }

    /// <summary>Journals the removal of an entry of the block list; false when there was none.</summary>
    public bool RemoveBlock(BlockKind kind, string value)
    {
        lock (_gate)
        {
            if (!_blocks.ContainsKey((kind, value))) return false;
            Append(new CatalogRecord.BlockRemoved(kind, value));
            _blocks.Remove((kind, value));
            Volatile.Write(ref _blockList, [.. _blocks.Values]);
            return true;
        }
    }

    public void Dispose() => _journal.Dispose();

    private void Add(SaleEntry entry)
    {
        _entries[entry.Sale.Id] = entry;
        Volatile.Write(ref _ordered, [.. _ordered, entry]);
    }

    /// <summary>Writes one record, or two that must land together, and fsyncs once.</summary>
    private void Append(CatalogRecord record, CatalogRecord? next = null)
    {
        _buffer.ResetWrittenCount();
        CatalogCodec.Write(_buffer, record);
        if (next is not null) CatalogCodec.Write(_buffer, next);
        _journal.Write(_buffer.WrittenSpan);
        _journal.Flush();
    }
}
