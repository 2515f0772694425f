using System.Collections.Frozen;

namespace FlashSale.Core.Sales;

/// <summary>
/// A created sale as every shard and gateway sees it: the immutable definition, fast lookups built from it,
/// and the one mutable fact, whether an operator closed it. Safe to read from any thread.
/// </summary>
public sealed class Sale
{
    private readonly FrozenDictionary<string, int> _itemIndex;
    private readonly FrozenSet<string>? _eligible;
    private long _closedAtMs = long.MaxValue;

    /// <summary>Builds the runtime view of a valid definition.</summary>
    public Sale(SaleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        StartsAtMs = definition.StartsAt.ToUnixTimeMilliseconds();
        EndsAtMs = definition.EndsAt?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Items.Count; i++) index[definition.Items[i].Id] = i;
        _itemIndex = index.ToFrozenDictionary(StringComparer.Ordinal);
        _eligible = definition.EligibleUsers?.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The definition as created.</summary>
    public SaleDefinition Definition { get; }

    /// <summary>Sale id.</summary>
    public string Id => Definition.Id;

    /// <summary>Number of items.</summary>
    public int ItemCount => Definition.Items.Count;

    /// <summary><see cref="SaleDefinition.StartsAt"/> in Unix milliseconds.</summary>
    public long StartsAtMs { get; }

    /// <summary><see cref="SaleDefinition.EndsAt"/> in Unix milliseconds, or <see cref="long.MaxValue"/>.</summary>
    public long EndsAtMs { get; }

    /// <summary>When an operator closed the sale, or null.</summary>
    public DateTimeOffset? ClosedAt
    {
        get
        {
            var ms = Volatile.Read(ref _closedAtMs);
            return ms == long.MaxValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }

    /// <summary>
    /// When the sale ended or ends: its <see cref="EndsAtMs"/> or when it was closed, whichever is first;
    /// <see cref="long.MaxValue"/> for an open-ended sale nobody closed.
    /// </summary>
    public long EndMs => Math.Min(EndsAtMs, Volatile.Read(ref _closedAtMs));

    /// <summary>Marks the sale closed at <paramref name="atMs"/>; the first close wins.</summary>
    public void Close(long atMs) => Interlocked.CompareExchange(ref _closedAtMs, atMs, long.MaxValue);

    /// <summary>True before <see cref="StartsAtMs"/>.</summary>
    public bool IsNotStarted(long nowMs) => nowMs < StartsAtMs;

    /// <summary>True from <see cref="EndsAtMs"/> on, or once closed.</summary>
    public bool IsEnded(long nowMs) => nowMs >= EndsAtMs || Volatile.Read(ref _closedAtMs) != long.MaxValue;

    /// <summary>True when the sale has no eligibility list or the buyer is on it.</summary>
    public bool IsEligible(string userId) => _eligible is null || _eligible.Contains(userId);

    /// <summary>Finds an item's index by id.</summary>
    public bool TryGetItemIndex(string itemId, out int index) => _itemIndex.TryGetValue(itemId, out index);
}
