using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Purchases;

[Collection(StandaloneCollectionDefinition.Name)]
public sealed class DecisionRuleTests(StandaloneRedis redis) : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = Stores.Clock();
    private readonly string _prefix = Stores.NewPrefix();
    private RedisSaleStore _store = null!;

    public async Task InitializeAsync() => _store = await Stores.Connect(redis, _clock, _prefix);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Purchase_before_the_start_answers_not_started_and_is_not_remembered()
    {
        var id = Stores.NewSaleId("early");
        await _store.CreateSaleAsync(TestSales.Open(id, startsAt: Stores.Start.AddSeconds(10)));

        Assert.Equal(Outcome.NotStarted, (await _store.PurchaseAsync(id, "a", "u1", "r1")).Outcome);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Outcome.Won, (await _store.PurchaseAsync(id, "a", "u1", "r1")).Outcome);
    }

    [Fact]
    public async Task Purchase_after_the_end_or_a_close_answers_ended()
    {
        var ending = Stores.NewSaleId("ending");
        await _store.CreateSaleAsync(TestSales.Open(ending, endsAt: Stores.Start.AddSeconds(5)));
        var closing = Stores.NewSaleId("closing");
        await _store.CreateSaleAsync(TestSales.Open(closing));

        await using var other = await Stores.Connect(redis, _clock, _prefix);
        Assert.NotNull(await other.CloseSaleAsync(closing));
        Assert.Equal(Outcome.Ended, (await _store.PurchaseAsync(closing, "a", "u1", "r1")).Outcome);
        Assert.Equal(Outcome.Won, (await _store.PurchaseAsync(ending, "a", "u1", "r1")).Outcome);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(Outcome.Ended, (await _store.PurchaseAsync(ending, "b", "u2", "r1")).Outcome);
        Assert.Equal(Outcome.Ended, (await _store.PurchaseAsync(ending, "b", "u2")).Outcome);
    }

    [Fact]
    public async Task Buyer_off_the_eligibility_list_answers_not_eligible()
    {
        var id = Stores.NewSaleId("elig");
        await _store.CreateSaleAsync(TestSales.Open(id, eligible: ["vip"]));

        Assert.Equal(Outcome.NotEligible, (await _store.PurchaseAsync(id, "a", "nobody", "r1")).Outcome);
        Assert.Equal(Outcome.NotEligible, (await _store.PurchaseAsync(id, "a", "nobody")).Outcome);
        Assert.Equal(Outcome.Won, (await _store.PurchaseAsync(id, "a", "vip", "r1")).Outcome);
    }

    [Fact]
    public async Task Buyer_at_the_limit_answers_limit_reached_until_a_cancel_frees_it()
    {
        var id = Stores.NewSaleId("limit");
        await _store.CreateSaleAsync(TestSales.Open(id, stock: 5, perUserLimit: 2));

        var first = await _store.PurchaseAsync(id, "a", "u1", "r1");
        Assert.Equal(Outcome.Won, (await _store.PurchaseAsync(id, "b", "u1", "r2")).Outcome);
        Assert.Equal(Outcome.LimitReached, (await _store.PurchaseAsync(id, "a", "u1", "r3")).Outcome);
        Assert.Equal(ChangeResult.Ok, (await _store.CancelAsync(first.Reservation!.Id)).Result);
        Assert.Equal(Outcome.LimitReached, (await _store.PurchaseAsync(id, "a", "u1", "r3")).Outcome);
        Assert.Equal(Outcome.Won, (await _store.PurchaseAsync(id, "a", "u1", "r4")).Outcome);
    }

    [Fact]
    public async Task Purchase_after_sell_out_answers_sold_out_and_an_expired_hold_reopens_the_item()
    {
        var id = Stores.NewSaleId("soldout");
        await _store.CreateSaleAsync(TestSales.Open(id, stock: 1, holdSeconds: 30));

        var won = await _store.PurchaseAsync(id, "a", "u1", "r1");
        Assert.Equal(Outcome.Won, won.Outcome);
        Assert.Equal(Outcome.SoldOut, (await _store.PurchaseAsync(id, "a", "u2", "r1")).Outcome);
        Assert.True(_store.IsSoldOut(id, 0));
        Assert.Equal(Outcome.SoldOut, (await _store.PurchaseAsync(id, "a", "u3")).Outcome);

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await _store.ExpireDueAsync() >= 1);
        Assert.False(_store.IsSoldOut(id, 0));
        Assert.Equal(ReservationStatus.Expired, (await _store.FindReservationAsync(won.Reservation!.Id))!.Status);
        Assert.Equal(Outcome.SoldOut, (await _store.PurchaseAsync(id, "a", "u2", "r1")).Outcome);
        Assert.Equal(Outcome.Won, (await _store.PurchaseAsync(id, "a", "u2", "r2")).Outcome);
    }

    [Fact]
    public async Task Repeat_of_a_request_id_returns_the_first_answer_and_decides_once()
    {
        var id = Stores.NewSaleId("repeat");
        await _store.CreateSaleAsync(TestSales.Open(id, stock: 3));

        var first = await _store.PurchaseAsync(id, "a", "u1", "r1");
        var again = await _store.PurchaseAsync(id, "a", "u1", "r1");
        Assert.Equal(first, again);
        Assert.Equal(Outcome.RequestIdReused, (await _store.PurchaseAsync(id, "b", "u1", "r1")).Outcome);
        Assert.Equal(Outcome.LimitReached, (await _store.PurchaseAsync(id, "a", "u1", "r2")).Outcome);
        await _store.CancelAsync(first.Reservation!.Id);
        Assert.Equal(Outcome.LimitReached, (await _store.PurchaseAsync(id, "a", "u1", "r2")).Outcome);
        Assert.Equal(first, await _store.PurchaseAsync(id, "a", "u1", "r1"));
        Assert.Equal(3, _store.Remaining(id, 0));
        Assert.Single(await _store.GetReservationsAsync(id, "u1"));
        var stats = (await _store.GetStatsAsync(id))!;
        Assert.Equal(1, stats.Won);
        Assert.Equal(3, stats.Outcomes["won"]);
        Assert.Equal(1, stats.Outcomes["request_id_reused"]);
    }

    [Fact]
    public async Task Confirm_and_cancel_are_idempotent_and_refuse_the_other_state()
    {
        var id = Stores.NewSaleId("change");
        await _store.CreateSaleAsync(TestSales.Open(id, stock: 3, holdSeconds: 10));
        var confirmed = (await _store.PurchaseAsync(id, "a", "u1")).Reservation!;
        var cancelled = (await _store.PurchaseAsync(id, "a", "u2")).Reservation!;
        var due = (await _store.PurchaseAsync(id, "a", "u3")).Reservation!;

        Assert.Equal(ReservationStatus.Confirmed, (await _store.ConfirmAsync(confirmed.Id)).Reservation!.Status);
        Assert.Equal(ChangeResult.Ok, (await _store.ConfirmAsync(confirmed.Id)).Result);
        Assert.Equal(ChangeResult.Conflict, (await _store.CancelAsync(confirmed.Id)).Result);
        Assert.Equal(ReservationStatus.Cancelled, (await _store.CancelAsync(cancelled.Id)).Reservation!.Status);
        Assert.Equal(ChangeResult.Ok, (await _store.CancelAsync(cancelled.Id)).Result);
        Assert.Equal(ChangeResult.Conflict, (await _store.ConfirmAsync(cancelled.Id)).Result);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var late = await _store.ConfirmAsync(due.Id);
        Assert.Equal(ChangeResult.Conflict, late.Result);
        Assert.Equal(ReservationStatus.Expired, late.Reservation!.Status);
        Assert.Equal(ChangeResult.NotFound, (await _store.ConfirmAsync(id + "-999")).Result);
        Assert.Equal(ChangeResult.NotFound, (await _store.CancelAsync("no-such-sale-1")).Result);
        Assert.Equal(ChangeResult.NotFound, (await _store.CancelAsync("garbage")).Result);
        Assert.Equal(2, _store.Remaining(id, 0));
    }

    [Fact]
    public async Task Unknown_sale_and_item_are_answered_without_a_decision()
    {
        var id = Stores.NewSaleId("unknown");
        await _store.CreateSaleAsync(TestSales.Open(id));

        Assert.Equal(Outcome.UnknownSale, (await _store.PurchaseAsync("no-such-sale", "a", "u1", "r1")).Outcome);
        Assert.Equal(Outcome.UnknownItem, (await _store.PurchaseAsync(id, "zz", "u1", "r1")).Outcome);
        Assert.True((await _store.CreateSaleAsync(TestSales.Open(id))).AlreadyExists);
        Assert.NotNull((await _store.CreateSaleAsync(TestSales.Open(id) with { Items = [] })).Error);
    }
}
