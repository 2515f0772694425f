using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Stores;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Reservations;

[SuppressMessage("Design", "CA1001", Justification = "xunit disposes it: IAsyncLifetime.DisposeAsync")]
public sealed class HoldTests : IAsyncLifetime
{
    private readonly EngineHarness _harness =
        new(4, static o => o.ExpiryInterval = TimeSpan.FromSeconds(1), "fs-holds");
    private readonly Channel<ItemAvailability> _availability = Channel.CreateUnbounded<ItemAvailability>();
    private FlashSaleEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = _harness.Open();
        _engine.AvailabilityChanged += a => _availability.Writer.TryWrite(a);
        await _harness.CreateSaleAsync(TestSales.OneItem("s", 1, holdSeconds: 60));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task An_unconfirmed_hold_expires_frees_its_unit_and_lifts_sold_out()
    {
        var won = await WinAsync("alice");
        Assert.Equal(Outcome.SoldOut, (await _engine.PurchaseAsync("s", "phone", "bob")).Outcome);
        Assert.Equal(new ItemAvailability("s", "phone", true), await NextAvailabilityAsync());
        Assert.Equal(SalePhase.SoldOut, _engine.PhaseOf(_engine.FindSale("s")!));

        // Just before holdUntil nothing happens; the engine's own timer expires the hold once it is due.
        _harness.Time.Advance(TimeSpan.FromSeconds(59));
        await _harness.ExpireDueAsync();
        Assert.True(_engine.IsSoldOut("s", 0));
        _harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new ItemAvailability("s", "phone", false), await NextAvailabilityAsync());

        Assert.False(_engine.IsSoldOut("s", 0));
        Assert.Equal(1, _engine.Remaining("s", 0));
        Assert.Equal(SalePhase.Open, _engine.PhaseOf(_engine.FindSale("s")!));
        Assert.Equal(ReservationStatus.Expired, Assert.Single(await _engine.GetReservationsAsync("s", "alice")).Status);
        var bobs = await WinAsync("bob");
        Assert.Equal(bobs.Id, (await _engine.FindReservationAsync(bobs.Id))?.Id);
        Assert.Equal(ReservationStatus.Expired, (await _engine.FindReservationAsync(won.Id))?.Status);
    }

    [Fact]
    public async Task An_expired_hold_no_longer_counts_against_the_buyers_limit()
    {
        await _engine.CreateSaleAsync(TestSales.OneItem("two", 2, perUserLimit: 1, holdSeconds: 60));
        await WinAsync("alice", "two");
        Assert.Equal(Outcome.LimitReached, (await _engine.PurchaseAsync("two", "phone", "alice")).Outcome);
        _harness.Time.Advance(TimeSpan.FromSeconds(61));
        await _harness.ExpireDueAsync();
        await WinAsync("alice", "two");
    }

    [Fact]
    public async Task Confirm_after_expiry_is_refused()
    {
        var won = await WinAsync("alice");
        _harness.Time.Advance(TimeSpan.FromSeconds(61));
        await _harness.ExpireDueAsync();

        var confirm = await _engine.ConfirmAsync(won.Id);

        Assert.Equal(ChangeResult.Conflict, confirm.Result);
        Assert.Equal(ReservationStatus.Expired, confirm.Reservation?.Status);
    }

    [Fact]
    public async Task Confirm_of_a_hold_past_its_time_is_refused_even_before_the_expiry_sweep_and_frees_the_unit()
    {
        await using var noSweep =
            new EngineHarness(2, static o => o.ExpiryInterval = TimeSpan.FromDays(1), "fs-no-sweep");
        var engine = await noSweep.OpenWithAsync(TestSales.OneItem("s", 1, holdSeconds: 60));
        var won = (await engine.PurchaseAsync("s", "phone", "alice")).Reservation!;
        noSweep.Time.Advance(TimeSpan.FromSeconds(60));

        var confirm = await engine.ConfirmAsync(won.Id);

        Assert.Equal(ChangeResult.Conflict, confirm.Result);
        Assert.Equal(ReservationStatus.Expired, confirm.Reservation?.Status);
        Assert.False(engine.IsSoldOut("s", 0));
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "bob")).Outcome);
    }

    [Fact]
    public async Task Cancel_frees_the_unit_lifts_sold_out_and_is_idempotent_and_confirm_after_it_is_refused()
    {
        var won = await WinAsync("alice");
        Assert.Equal(new ItemAvailability("s", "phone", true), await NextAvailabilityAsync());

        var cancel = await _engine.CancelAsync(won.Id);
        Assert.Equal(new ReservationChange(ChangeResult.Ok, won with { Status = ReservationStatus.Cancelled }), cancel);
        Assert.Equal(new ItemAvailability("s", "phone", false), await NextAvailabilityAsync());
        Assert.False(_engine.IsSoldOut("s", 0));
        Assert.Equal(cancel, await _engine.CancelAsync(won.Id));

        var confirm = await _engine.ConfirmAsync(won.Id);
        Assert.Equal(ChangeResult.Conflict, confirm.Result);
        Assert.Equal(ReservationStatus.Cancelled, confirm.Reservation?.Status);

        // The unit is on sale again, and alice's cancelled hold no longer counts against her limit.
        await WinAsync("alice");
        Assert.Equal(Outcome.SoldOut, (await _engine.PurchaseAsync("s", "phone", "bob", "r1")).Outcome);
    }

    [Fact]
    public async Task Confirm_is_idempotent_and_a_confirmed_unit_is_sold_for_good()
    {
        var won = await WinAsync("alice");

        var confirm = await _engine.ConfirmAsync(won.Id);
        Assert.Equal(new ReservationChange(ChangeResult.Ok, won with { Status = ReservationStatus.Confirmed }),
            confirm);
        Assert.Equal(confirm, await _engine.ConfirmAsync(won.Id));
        var cancel = await _engine.CancelAsync(won.Id);
        Assert.Equal(ChangeResult.Conflict, cancel.Result);
        Assert.Equal(ReservationStatus.Confirmed, cancel.Reservation?.Status);

        _harness.Time.Advance(TimeSpan.FromSeconds(120));
        await _harness.ExpireDueAsync();
        Assert.Equal(ReservationStatus.Confirmed, (await _engine.FindReservationAsync(won.Id))?.Status);
        Assert.True(_engine.IsSoldOut("s", 0));
        Assert.Equal(Outcome.SoldOut, (await _engine.PurchaseAsync("s", "phone", "bob", "r1")).Outcome);
    }

    [Theory]
    [InlineData("3-77")]
    [InlineData("0-999")]
    [InlineData("99-1")]
    [InlineData("not-an-id")]
    [InlineData("")]
    public async Task Confirm_and_cancel_of_an_unknown_reservation_answer_not_found(string id)
    {
        await WinAsync("alice");
        Assert.Equal(new ReservationChange(ChangeResult.NotFound, null), await _engine.ConfirmAsync(id));
        Assert.Equal(new ReservationChange(ChangeResult.NotFound, null), await _engine.CancelAsync(id));
    }

    private async Task<Reservation> WinAsync(string user, string sale = "s")
    {
        var decision = await _engine.PurchaseAsync(sale, "phone", user);
        Assert.Equal(Outcome.Won, decision.Outcome);
        return decision.Reservation!;
    }

    private async Task<ItemAvailability> NextAvailabilityAsync() =>
        await _availability.Reader.ReadAsync().AsTask().WaitAsync(EngineProbe.Deadline);
}
