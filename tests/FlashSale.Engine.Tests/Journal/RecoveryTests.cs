using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Journal;

public sealed class RecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new("fs-recover");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reopening_with_another_shard_count_keeps_the_stored_one_and_every_buyer_on_their_shard()
    {
        var time = TestSales.Clock();
        Reservation won;
        await using (var engine = FlashSaleEngine.Open(new EngineOptions { DataDirectory = _dir.Path, ShardCount = 4 }, time))
        {
            await engine.CreateSaleAsync(TestSales.OneItem("s", 10));
            won = (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Reservation!;
        }

        await using (var engine = FlashSaleEngine.Open(new EngineOptions { DataDirectory = _dir.Path, ShardCount = 8 }, time))
        {
            Assert.Equal(4, engine.ShardCount);
            Assert.Equal(won, (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Reservation);
            Assert.Equal(Outcome.LimitReached, (await engine.PurchaseAsync("s", "phone", "alice", "r2")).Outcome);
            Assert.Equal([won], await engine.GetReservationsAsync("s", "alice"));
        }
    }

    [Fact]
    public async Task A_sale_sold_out_before_a_restart_keeps_when_it_sold_out()
    {
        var time = TestSales.Clock();
        var options = new EngineOptions { DataDirectory = _dir.Path, ShardCount = 2 };
        DateTimeOffset lastWon;
        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            await engine.CreateSaleAsync(TestSales.OneItem("s", 2));
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "alice")).Outcome);
            time.Advance(TimeSpan.FromSeconds(3));
            lastWon = (await engine.PurchaseAsync("s", "phone", "bob")).Reservation!.CreatedAt;
            time.Advance(TimeSpan.FromSeconds(3));
        }

        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.Equal(SalePhase.SoldOut, engine.PhaseOf(engine.FindSale("s")!));
            Assert.Equal(lastWon, engine.GetStats("s")!.SoldOutAt);
        }
    }

    [Fact]
    public async Task A_closed_sale_answers_ended_also_after_a_restart()
    {
        var time = TestSales.Clock();
        var options = new EngineOptions { DataDirectory = _dir.Path, ShardCount = 2 };
        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            await engine.CreateSaleAsync(TestSales.OneItem("s", 10));
            await engine.CreateSaleAsync(TestSales.OneItem("open", 10));
            Assert.NotNull(await engine.CloseSaleAsync("s"));
            Assert.Null(await engine.CloseSaleAsync("no-such-sale"));
            Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "phone", "alice")).Outcome);
        }

        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.Equal(SalePhase.Ended, engine.PhaseOf(engine.FindSale("s")!));
            Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "phone", "alice")).Outcome);
            Assert.Equal(Outcome.Ended, (await engine.PurchaseAsync("s", "phone", "alice", "r1")).Outcome);
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("open", "phone", "alice")).Outcome);
            Assert.Equal(["s", "open"], engine.Sales.Select(s => s.Id));
        }
    }

    [Fact]
    public async Task Holds_that_fell_due_while_the_engine_was_down_expire_after_the_restart()
    {
        var time = TestSales.Clock();
        var options = new EngineOptions { DataDirectory = _dir.Path, ShardCount = 2 };
        Reservation won;
        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            await engine.CreateSaleAsync(TestSales.OneItem("s", 1, holdSeconds: 60));
            won = (await engine.PurchaseAsync("s", "phone", "alice")).Reservation!;
            Assert.True(engine.IsSoldOut("s", 0));
        }

        time.Advance(TimeSpan.FromMinutes(5));
        await using (var engine = FlashSaleEngine.Open(options, time))
        {
            Assert.True(engine.IsSoldOut("s", 0));
            await engine.ExpireDueAsync();
            Assert.Equal(ReservationStatus.Expired, (await engine.FindReservationAsync(won.Id))?.Status);
            Assert.False(engine.IsSoldOut("s", 0));
            Assert.Equal(Outcome.Won, (await engine.PurchaseAsync("s", "phone", "bob")).Outcome);
        }
    }

    [Fact]
    public async Task A_data_directory_another_engine_has_open_is_refused_until_that_engine_is_disposed()
    {
        var options = new EngineOptions { DataDirectory = _dir.Path, ShardCount = 2 };
        var first = FlashSaleEngine.Open(options, TestSales.Clock());
        await first.CreateSaleAsync(TestSales.OneItem("s", 10));

        var refused = Assert.Throws<IOException>(() => FlashSaleEngine.Open(options, TestSales.Clock()));
        Assert.Contains(Path.GetFullPath(_dir.Path), refused.Message, StringComparison.Ordinal);
        Assert.Equal(Outcome.Won, (await first.PurchaseAsync("s", "phone", "alice")).Outcome);

        await first.DisposeAsync();
        await using var second = FlashSaleEngine.Open(options, TestSales.Clock());
        Assert.Equal(9, second.Remaining("s", 0));
    }
}
