using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;
using FlashSale.Core.Stores;
using FlashSale.Engine.Catalog;
using FlashSale.Engine.Shards;
using FlashSale.Engine.Stock;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace FlashSale.Engine;

/// <summary>
/// The embedded engine: sales, shards that decide purchase attempts, their journals and recovery. Open it once per
/// data directory and process; every member is safe to call from any thread.
/// </summary>
public sealed partial class FlashSaleEngine : ISaleStore
{
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly ShardWorker[] _shards;
    private readonly ITimer _expiryTimer;
    private readonly SafeFileHandle _directoryLock;
    private volatile Exception? _fault;
    private int _disposed;

    /// <summary>Raised when an item sells out or comes back, on the thread that saw it: keep handlers short.</summary>
    public event Action<ItemAvailability>? AvailabilityChanged;

    /// <summary>Called with the seconds each journal fsync took, on the shard's thread.</summary>
    public Action<double>? JournalFlushObserved { get; set; }

    /// <summary><c>embedded</c>.</summary>
    public string Kind => "embedded";

    /// <summary>The journal fsyncs (<see cref="JournalFlushObserved"/>).</summary>
    Action<double>? ISaleStore.WriteObserved
    {
        get => JournalFlushObserved;
        set => JournalFlushObserved = value;
    }

    /// <summary>The clock every decision reads.</summary>
    public TimeProvider Time { get; }

    /// <summary>Number of shards.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>True until a shard fails (for example, the disk is full); then purchases answer busy.</summary>
    public bool IsHealthy => _fault is null && Volatile.Read(ref _disposed) == 0;

    /// <summary>Purchase attempts waiting in all shards' queues.</summary>
    public int QueueDepth
    {
        get
        {
            var depth = 0;
            foreach (var shard in _shards) depth += shard.QueueDepth;
            return depth;
        }
    }

    internal SaleCatalog Catalog { get; }

    internal ShardWorker Shard(int index) => _shards[index];

    /// <summary>
    /// Decides a purchase attempt. Unknown sales and items, attempts before the start, (without a requestId) attempts
    /// the sale's state or a sold-out item already answers, and (with one) repeats of remembered refusals and new
    /// attempts by a buyer at the limit or for a sold-out item are answered at once, without the shard's queue; the
    /// rest wait for the buyer's shard. A <see cref="Outcome.Won"/> is on disk before it is returned.
    /// </summary>
    public ValueTask<Decision> PurchaseAsync(string saleId, string itemId, string userId, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(saleId);
        ArgumentNullException.ThrowIfNull(itemId);
        if (string.IsNullOrEmpty(userId) || userId.Length > SaleDefinition.MaxIdLength)
        {
            throw new ArgumentException("userId must be 1-128 characters", nameof(userId));
        }

        if (requestId is not null && requestId.Length is 0 or > RequestIds.MaxLength)
        {
            throw new ArgumentException($"requestId must be 1-{RequestIds.MaxLength} characters", nameof(requestId));
        }

        var entry = Catalog.Find(saleId);
        if (entry is null) return new ValueTask<Decision>(Decision.Of(Outcome.UnknownSale));
        var sale = entry.Sale;
        if (!sale.TryGetItemIndex(itemId, out var itemIndex))
        {
            return new ValueTask<Decision>(Decision.Of(Outcome.UnknownItem));
        }

        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        Outcome? early = null;
        if (sale.IsNotStarted(now))
        {
            early = Outcome.NotStarted;
        }
        else if (requestId is null)
        {
            if (sale.IsEnded(now)) early = Outcome.Ended;
            else if (!sale.IsEligible(userId)) early = Outcome.NotEligible;
            else if (entry.Items[itemIndex].SoldOut) early = Outcome.SoldOut;
        }

        if (early is { } outcome)
        {
            entry.Stats.Count(outcome);
            return new ValueTask<Decision>(Decision.Of(outcome));
        }

        if (_fault is not null)
        {
            entry.Stats.Count(Outcome.Busy);
            return new ValueTask<Decision>(Decision.Of(Outcome.Busy));
        }

        var shard = _shards[ShardRouter.ShardOf(userId, _shards.Length)];
        if (requestId is not null && AnswerFromMemory(entry, itemIndex, userId, requestId, now, shard) is { } known)
        {
            entry.Stats.Count(known);
            return new ValueTask<Decision>(Decision.Of(known));
        }

        return shard.Submit(entry, itemIndex, userId, requestId);
    }

    /// <summary>
    /// The edge's answer to an attempt with a requestId, from memory, or null when the buyer's shard must decide it.
    /// A repeat of a remembered refusal gets it again (or <c>request_id_reused</c> for another item); a new requestId
    /// from a buyer known to be at the limit, or for an item sold out everywhere, is refused and the refusal claimed
    /// in the shard's answers, which makes it the key's one answer: a key the shard is deciding, or has decided, is
    /// never claimed. The claim is journaled by the shard without anyone waiting, like the shard's own refusals.
    /// </summary>
    private static Outcome? AnswerFromMemory(SaleEntry entry, int itemIndex, string userId, string requestId,
        long now, ShardWorker shard)
    {
        var sale = entry.Sale;
        var answers = shard.State.FindAnswers(sale.Id);
        var key = AnswerKey.Of(userId, requestId);
        if (answers is not null && answers.TryGet(key, out var earlier))
        {
            // A win is answered with its reservation, which only the shard has; a key being decided waits for it.
            if (!earlier.IsDecided) return null;
            if (!earlier.IsFor(itemIndex)) return Outcome.RequestIdReused;
            return earlier.Outcome == Outcome.Won ? null : earlier.Outcome;
        }

        // The sale's own state and eligibility come first; those answers are not remembered, so the shard gives them.
        if (sale.IsEnded(now) || !sale.IsEligible(userId)) return null;
        answers ??= shard.State.AnswersOf(sale.Id);
        Outcome refusal;
        if (answers.IsAtLimit(userId)) refusal = Outcome.LimitReached;
        else if (entry.Items[itemIndex].SoldOut) refusal = Outcome.SoldOut;
        else return null;

        if (!answers.TryClaim(key, new RememberedAnswer(refusal, itemIndex), out _)) return null;
        shard.PostEdgeAnswer(new EdgeAnswer(sale.Id, key, itemIndex, refusal));
        return refusal;
    }

    /// <summary>Creates a sale: validated, journaled and fsynced before this returns.</summary>
    public ValueTask<CreateSaleResult> CreateSaleAsync(SaleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Validate() is { } error)
        {
            return new ValueTask<CreateSaleResult>(new CreateSaleResult(null, error, false));
        }

        // The journal keeps times as UTC Unix milliseconds: hold the sale that way from the start, so that it reads the
        // same before and after a restart.
        definition = definition with
        {
            StartsAt = AsJournaled(definition.StartsAt),
            EndsAt = definition.EndsAt is { } end ? AsJournaled(end) : null,
        };
        var sale = new Sale(definition);
        var created = Catalog.TryCreate(
            sale,
            s => new SaleEntry(s,
                [.. s.Definition.Items.Select(item => new ItemStock(item.Stock, new int[_shards.Length]))]),
            out var tooLarge);
        return new ValueTask<CreateSaleResult>(created
            ? new CreateSaleResult(sale, null, false)
            : new CreateSaleResult(null, tooLarge, tooLarge is null));
    }

    /// <summary>
    /// Closes a sale: from now on its purchases answer <c>ended</c>. Returns null for an unknown sale.
    /// </summary>
    public ValueTask<Sale?> CloseSaleAsync(string saleId)
    {
        var entry = Catalog.Find(saleId);
        if (entry is null) return new ValueTask<Sale?>((Sale?)null);
        Catalog.Close(entry.Sale, Time.GetUtcNow().ToUnixTimeMilliseconds());
        return new ValueTask<Sale?>(entry.Sale);
    }

    /// <summary>
    /// Confirms a reservation (the store placed the order). Idempotent; a conflict once cancelled or expired.
    /// </summary>
    public Task<ReservationChange> ConfirmAsync(string reservationId) =>
        ChangeAsync(reservationId, static (worker, id) => worker.State.Confirm(id, worker.Now, worker, worker.Freed));

    /// <summary>Cancels a reservation; its unit goes back on sale. Idempotent; a conflict once confirmed.</summary>
    public Task<ReservationChange> CancelAsync(string reservationId) =>
        ChangeAsync(reservationId, static (worker, id) => worker.State.Cancel(id, worker.Now, worker, worker.Freed));

    /// <summary>Counts an outcome decided at the edge, before the engine (<see cref="Outcome.RateLimited"/>).</summary>
    public void CountOutcome(string saleId, Outcome outcome) => Catalog.Find(saleId)?.Stats.Count(outcome);

    /// <summary>Stops taking attempts, finishes what is queued, flushes every journal and closes the files.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return ValueTask.CompletedTask;
        _expiryTimer.Dispose();
        foreach (var shard in _shards) shard.Stop();
        foreach (var shard in _shards) shard.Dispose();
        Catalog.Dispose();
        _directoryLock.Dispose();
        EngineLog.Stopped(_logger);
        return ValueTask.CompletedTask;
    }

    private static DateTimeOffset AsJournaled(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>
    /// An item's sold-out state changed. Shards see changes on their own threads, so two changes can reach here in
    /// the other order; the item announces its state as it is now, one announcement at a time, and only when it
    /// differs from the last one: the last event a subscriber got is always the item's true state.
    /// </summary>
    internal void OnAvailabilityChanged(SaleEntry entry, int itemIndex) =>
        entry.Items[itemIndex].Announce(
            (Engine: this, Entry: entry, ItemIndex: itemIndex),
            static (s, soldOut) => s.Engine.Announce(s.Entry, s.ItemIndex, soldOut));

    private void Announce(SaleEntry entry, int itemIndex, bool soldOut)
    {
        if (soldOut && entry.AllSoldOut) entry.Stats.SoldOutAt(Time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!soldOut) entry.Stats.Reopened();
        var itemId = entry.Sale.Definition.Items[itemIndex].Id;
        EngineLog.Availability(_logger, entry.Sale.Id, itemId, soldOut ? "sold out" : "back on sale");
        try
        {
            AvailabilityChanged?.Invoke(new ItemAvailability(entry.Sale.Id, itemId, soldOut));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            EngineLog.SubscriberFailed(_logger, e);
        }
    }

    /// <summary>The expiry timer's tick: every shard expires its holds that are due.</summary>
    internal void ExpireDue()
    {
        foreach (var shard in _shards) shard.Post(new ShardMessage(ShardMessage.Kind.ExpireDue));
    }

    internal void OnShardFailed(int shard, Exception exception)
    {
        _fault ??= exception;
        EngineLog.ShardFailed(_logger, shard, exception);
    }

    private Task<ReservationChange> ChangeAsync(string reservationId,
        Func<ShardWorker, string, ReservationChange> change)
    {
        if (!Reservation.TryParseId(reservationId, out var shard, out _) || shard >= _shards.Length)
        {
            return Task.FromResult(new ReservationChange(ChangeResult.NotFound, null));
        }

        return _shards[shard].Run(worker => change(worker, reservationId));
    }
}
