using FlashSale.Core.Outbox;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Engine.Outbox;
using FlashSale.Engine.Tests.Support;

namespace FlashSale.Engine.Tests.Outbox;

public sealed class EngineOutboxTests : IAsyncDisposable
{
    private readonly EngineHarness _harness = new(4, prefix: "fs-outbox");

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Reading_in_batches_gives_every_win_once_oldest_first_with_each_shards_order_kept()
    {
        var engine = await _harness.OpenWithAsync(TestSales.OneItem("a", 20), TestSales.OneItem("b", 20));
        var won = new List<Reservation>();
        for (var i = 0; i < 30; i++)
        {
            _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
            var decision = await engine.PurchaseAsync(i % 2 == 0 ? "a" : "b", "phone", $"user-{i}");
            Assert.Equal(Outcome.Won, decision.Outcome);
            won.Add(decision.Reservation!);
        }

        var read = await ReadAllAsync(engine, null, 7);
        Assert.Equal(won.Select(r => r.Id), read.Select(e => e.Reservation.Id));
        Assert.Equal(won, read.Select(e => e.Reservation));
        var tail = await engine.ReadAsync(read[^1].Cursor, 7);
        Assert.Empty(tail.Entries);
        Assert.Equal(read[^1].Cursor, tail.Cursor);

        // Every entry's cursor resumes right after it.
        var resumed = await ReadAllAsync(engine, read[11].Cursor, 100);
        Assert.Equal(won.Skip(12).Select(r => r.Id), resumed.Select(e => e.Reservation.Id));
    }

    [Fact]
    public async Task A_cursor_resumes_after_a_restart_and_wins_are_delivered_as_won_whatever_came_later()
    {
        var engine = await _harness.OpenWithAsync(TestSales.OneItem("s", 10));
        var first = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
            first.Add((await engine.PurchaseAsync("s", "phone", $"u{i}")).Reservation!.Id);
        }

        var batch = await engine.ReadAsync(null, 3);
        Assert.Equal(first.Take(3), batch.Entries.Select(e => e.Reservation.Id));
        Assert.Equal(ChangeResult.Ok, (await engine.CancelAsync(first[3])).Result);
        Assert.Equal(ChangeResult.Ok, (await engine.ConfirmAsync(first[4])).Result);

        engine = await _harness.RestartAsync();
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var later = (await engine.PurchaseAsync("s", "phone", "late")).Reservation!;
        var rest = await ReadAllAsync(engine, batch.Cursor, 10);
        Assert.Equal([first[3], first[4], later.Id], rest.Select(e => e.Reservation.Id));
        Assert.All(rest, e => Assert.Equal(ReservationStatus.Held, e.Reservation.Status));
    }

    [Theory]
    [InlineData("x:1.2.3.4")]
    [InlineData("e:1.2.3")]
    [InlineData("e:1.2.3.-4")]
    [InlineData("e:1.2.3.4.5")]
    [InlineData("e:a.b.c.d")]
    public async Task A_cursor_the_engine_did_not_make_is_refused(string cursor)
    {
        var engine = _harness.Open();
        await Assert.ThrowsAsync<OutboxCursorException>(async () => await engine.ReadAsync(cursor, 10));
    }

    [Fact]
    public async Task The_file_checkpoint_keeps_the_last_saved_cursor_across_instances()
    {
        var engine = _harness.Open();
        var checkpoint = engine.Checkpoint("hook");
        Assert.Null(await checkpoint.LoadAsync());
        Assert.True(await checkpoint.TryHoldAsync());
        Assert.True(await checkpoint.SaveAsync("e:1.0.0.0"));
        Assert.True(await checkpoint.SaveAsync("e:2.1.0.0"));
        var again = new FileCheckpoint(_harness.Options.DataDirectory, "hook");
        Assert.Equal("e:2.1.0.0", await again.LoadAsync());
        Assert.False(File.Exists(again.FilePath + ".tmp"));
        Assert.Null(await new FileCheckpoint(_harness.Options.DataDirectory, "other").LoadAsync());
    }

    private static async Task<List<OutboxEntry>> ReadAllAsync(FlashSaleEngine engine, string? cursor, int max)
    {
        var all = new List<OutboxEntry>();
        while (true)
        {
            var batch = await engine.ReadAsync(cursor, max);
            Assert.True(batch.Entries.Count <= max);
            if (batch.Entries.Count == 0) return all;
            all.AddRange(batch.Entries);
            cursor = batch.Cursor;
        }
    }
}
