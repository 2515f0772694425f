using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;

namespace FlashSale.Redis.Tests.Differential;

/// <summary>
/// The embedded engine's decisions without its threads and journal: Core's <see cref="ShardState"/> with one shard,
/// each item's pool beside it, and the engine's answers at the edge (<c>FlashSaleEngine.PurchaseAsync</c>: without a
/// requestId, a closed sale, an ineligible buyer or a sold-out item is answered before the shard).
/// </summary>
internal sealed class CoreModel : IStockSource, IShardEventSink
{
    private readonly ShardState _state = new(0);
    private readonly Dictionary<string, Sale> _sales = new(StringComparer.Ordinal);
    private readonly Dictionary<(string SaleId, int Item), int> _pool = [];

    public void Create(SaleDefinition definition)
    {
        var sale = new Sale(definition);
        _sales.Add(sale.Id, sale);
        for (var i = 0; i < definition.Items.Count; i++) _pool[(sale.Id, i)] = definition.Items[i].Stock;
    }

    public void Close(string saleId, long nowMs) => _sales[saleId].Close(nowMs);

    public Decision Purchase(string saleId, string itemId, string userId, string? requestId, long nowMs)
    {
        if (!_sales.TryGetValue(saleId, out var sale)) return Decision.Of(Outcome.UnknownSale);
        if (!sale.TryGetItemIndex(itemId, out var item)) return Decision.Of(Outcome.UnknownItem);
        if (sale.IsNotStarted(nowMs)) return Decision.Of(Outcome.NotStarted);
        if (requestId is null)
        {
            if (sale.IsEnded(nowMs)) return Decision.Of(Outcome.Ended);
            if (!sale.IsEligible(userId)) return Decision.Of(Outcome.NotEligible);
            if (Remaining(saleId, item) == 0) return Decision.Of(Outcome.SoldOut);
        }

        return _state.Decide(sale, item, userId, requestId, nowMs, this, this);
    }

    public ReservationChange Confirm(string id, long nowMs) => Change(id, nowMs, confirm: true);

    public ReservationChange Cancel(string id, long nowMs) => Change(id, nowMs, confirm: false);

    public int Expire(long nowMs)
    {
        var freed = new List<FreedUnit>();
        var expired = _state.ExpireDue(nowMs, this, freed);
        Return(freed);
        return expired;
    }

    public int Remaining(string saleId, int item) => _pool[(saleId, item)] + _state.CountsOf(saleId, item).Local;

    public List<Reservation> ReservationsOf(string saleId, string userId) => _state.ReservationsOf(saleId, userId);

    public List<Reservation> Export(string saleId)
    {
        var list = new List<Reservation>();
        _state.CopyReservations(saleId, 0, int.MaxValue, list);
        return list;
    }

    int IStockSource.Take(Sale sale, int itemIndex)
    {
        var units = _pool[(sale.Id, itemIndex)];
        if (units == 0) return IStockSource.SoldOut;
        _pool[(sale.Id, itemIndex)] = 0;
        return units;
    }

    void IShardEventSink.Append(in ShardEvent shardEvent)
    {
    }

    private ReservationChange Change(string id, long nowMs, bool confirm)
    {
        var freed = new List<FreedUnit>();
        var change = confirm ? _state.Confirm(id, nowMs, this, freed) : _state.Cancel(id, nowMs, this, freed);
        Return(freed);
        return change;
    }

    private void Return(List<FreedUnit> freed)
    {
        foreach (var unit in freed) _pool[(unit.SaleId, unit.ItemIndex)]++;
    }
}
