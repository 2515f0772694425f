using System.Diagnostics.CodeAnalysis;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Stores;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

[SuppressMessage("Design", "CA1001", Justification = "xunit disposes it: IAsyncLifetime.DisposeAsync")]
public sealed class RecoveryTests : IAsyncLifetime
{
    private readonly EngineHarness _harness = new(prefix: "fs-recover");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Reopening_with_another_shard_count_keeps_the_stored_one_and_every_buyer_on_their_shard()
    {
        _harness.Options.ShardCount = 4;
        var engine = await _harness.OpenWithAsync(TestSales.OneItem("s", 10));
        var won = (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Reservation!;

        _harness.Options.ShardCount = 8;
        engine = await _harness.RestartAsync();
        Assert.Equal(4, engine.ShardCount);
        Assert.Equal(won, (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Reservation);
        Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "phone", "alice", "r2")).Outcome);
        Assert.Equal([won], await engine.GetReservationsAsync("s", "alice"));
    }

    [Fact]
    public async Task A_sale_sold_out_before_a_restart_keeps_when_it_sold_out()
    {
        var time = _harness.Time;
        var engine = await _harness.OpenWithAsync(TestSales.OneItem("s", 2));
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "alice")).Outcome);
        time.Advance(TimeSpan.FromSeconds(3));
        var lastWon = (await engine.PurchaseAsync("s", "phone", "bob")).Reservation!.CreatedAt;
        time.Advance(TimeSpan.FromSeconds(3));

        engine = await _harness.RestartAsync();
        Assert.Equal(SalePhase.SoldOut, engine.PhaseOf(engine.FindSale("s")!));
        Assert.Equal(lastWon, engine.GetStats("s")!.SoldOutAt);
    }

    [Fact]
    public async Task A_closed_sale_answers_ended_also_after_a_restart()
    {
        var engine = await _harness.OpenWithAsync(TestSales.OneItem("s", 10), TestSales.OneItem("open", 10));
        Assert.NotNull(await engine.CloseSaleAsync("s"));
        Assert.Null(await engine.CloseSaleAsync("no-such-sale"));
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "phone", "alice")).Outcome);

        engine = await _harness.RestartAsync();
        Assert.Equal(SalePhase.Ended, engine.PhaseOf(engine.FindSale("s")!));
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "phone", "alice")).Outcome);
        Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Outcome);
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("open", "phone", "alice")).Outcome);
        Assert.Equal(["s", "open"], engine.Sales.Select(s => s.Id));
    }

    [Fact]
    public async Task Holds_that_fell_due_while_the_engine_was_down_expire_after_the_restart()
    {
        var engine = await _harness.OpenWithAsync(TestSales.OneItem("s", 1, holdSeconds: 60));
        var won = (await engine.PurchaseAsync("s", "phone", "alice")).Reservation!;
        Assert.True(engine.IsSoldOut("s", 0));

        await _harness.CloseAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(5));
        engine = _harness.Open();
        Assert.True(engine.IsSoldOut("s", 0));
        await _harness.ExpireDueAsync();
        Assert.Equal(ReservationStatus.Expired, (await engine.FindReservationAsync(won.Id))?.Status);
        Assert.False(engine.IsSoldOut("s", 0));
        Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "bob")).Outcome);
    }

    [Fact]
    public async Task A_data_directory_another_engine_has_open_is_refused_until_that_engine_is_disposed()
    {
        var first = await _harness.OpenWithAsync(TestSales.OneItem("s", 10));

        var refused = Assert.Throws<IOException>(() => FlashSaleEngine.Open(_harness.Options, TestSales.Clock()));
        Assert.Contains(Path.GetFullPath(_harness.Options.DataDirectory), refused.Message, StringComparison.Ordinal);
        Assert.Equal(Outcome.Won, (await first.PurchaseAsync("s", "phone", "alice")).Outcome);

        var second = await _harness.RestartAsync();
        Assert.Equal(9, second.Remaining("s", 0));
    }
}
