using FlashSale.Core.Sales;
using FlashSale.Server.Admission;

namespace FlashSale.Server.Tests.Admission;

/// <summary>The waiting room's order and pace, with time as an argument.</summary>
public sealed class WaitingRoomTests
{
    private const long Start = 1_800_000_000_000;
    private static readonly string[] Buyers = [.. Enumerable.Range(1, 40).Select(i => $"buyer-{i:D3}")];

    [Fact]
    public void The_pre_queue_is_shuffled_by_the_seed_whatever_order_buyers_arrived_in()
    {
        var inOrder = Room(seed: 42);
        var reversed = Room(seed: 42);
        for (var i = 0; i < Buyers.Length; i++)
        {
            inOrder.Enter(Buyers[i], null, Start - 10_000 + i);
            reversed.Enter(Buyers[^(i + 1)], null, Start - 10_000 + i);
        }

        inOrder.Enter(Buyers[0], null, Start);
        reversed.Enter(Buyers[0], null, Start);
        var order = inOrder.Order();

        Assert.Equal(order, reversed.Order());
        Assert.Equal(QueueOrder.Shuffle(42, Buyers), order);
        Assert.NotEqual(Buyers, order);
        Assert.Equal(Buyers.Order(StringComparer.Ordinal), order.Order(StringComparer.Ordinal));
        Assert.NotEqual(order, QueueOrder.Shuffle(43, Buyers));
    }

    [Fact]
    public void Before_the_start_a_ticket_has_no_position_and_its_eta_is_the_start()
    {
        var room = Room(seed: 1);
        var place = room.Enter("early", null, Start - 2_500);

        Assert.False(place.Admitted);
        Assert.Null(place.Position);
        Assert.Equal(2_500, place.EtaMs);
        Assert.True(place.Early);
    }

    [Fact]
    public void Later_arrivals_queue_behind_the_pre_queue_in_arrival_order()
    {
        var room = Room(seed: 7, admitPerSecond: 1);
        room.Enter("p1", null, Start - 50);
        room.Enter("p2", null, Start - 40);
        room.Enter("late-b", null, Start + 5);
        room.Enter("late-a", null, Start + 6);

        var order = room.Order();
        Assert.Equal(["late-b", "late-a"], order[2..]);
        Assert.Equal(["p1", "p2"], order[..2].Order(StringComparer.Ordinal));
        var late = room.Enter("late-a", null, Start + 6);
        Assert.False(late.Early);
        Assert.Equal(3, late.Position);
    }

    [Fact]
    public void Buyers_are_admitted_at_the_configured_rate_and_told_their_eta()
    {
        var room = Room(seed: 3, admitPerSecond: 10);
        foreach (var buyer in Buyers) room.Enter(buyer, null, Start - 1_000);
        var order = QueueOrder.Shuffle(3, Buyers);

        var last = room.Enter(order[^1], null, Start);
        Assert.Equal(Buyers.Length - 1, last.Position);
        Assert.Equal(4_000, last.EtaMs);

        Assert.False(room.Enter(order[10], null, Start + 1_000).Admitted);
        Assert.Equal(10, room.Admitted);
        var admitted = room.Enter(order[9], null, Start + 1_000);
        Assert.True(admitted.Admitted);
        Assert.Equal(Start + 1_000 + 120_000, admitted.GrantExpiresMs);
        Assert.Equal(0, room.Enter(order[10], null, Start + 1_000).Position);
    }

    [Fact]
    public void A_room_rebuilt_after_a_restart_places_returning_tickets_in_the_same_order()
    {
        var before = Room(seed: 99, admitPerSecond: 1);
        var arrivals = new Dictionary<string, long>();
        for (var i = 0; i < Buyers.Length; i++)
        {
            arrivals[Buyers[i]] = before.Enter(Buyers[i], null, Start - 5_000 + i).ArrivalMs;
        }

        // Three late ones, too.
        for (var i = 0; i < 3; i++) arrivals[$"late-{i}"] = before.Enter($"late-{i}", null, Start + 100 + i).ArrivalMs;
        var order = before.Order();

        // The restarted server's room opens after the start; buyers come back with their tickets, in any order.
        var after = Room(seed: 99, admitPerSecond: 1, openedAtMs: Start + 2_000);
        foreach (var (buyer, arrival) in arrivals.Reverse()) after.Enter(buyer, arrival, Start + 2_000);

        Assert.Equal(order, after.Order());
        Assert.True(after.Enter(Buyers[0], arrivals[Buyers[0]], Start + 2_000).Early);
        Assert.Equal(0, after.Admitted);
    }

    [Fact]
    public void A_ticket_claiming_an_arrival_before_the_pre_queue_opened_counts_as_arriving_now()
    {
        var room = Room(seed: 5);
        var place = room.Enter("forger", Start - 3_600_000, Start + 10);

        Assert.False(place.Early);
        Assert.Equal(Start + 10, place.ArrivalMs);
    }

    [Fact]
    public void A_turn_not_used_before_its_grant_expires_goes_to_the_back()
    {
        var room = Room(seed: 11, admitPerSecond: 1000, grantSeconds: 1);
        room.Enter("slow", null, Start - 100);
        room.Enter("other", null, Start - 90);
        var admitted = room.Enter("slow", null, Start + 100);
        Assert.True(admitted.Admitted);

        room.Enter("newcomer", null, Start + 200);
        var again = room.Enter("slow", null, admitted.GrantExpiresMs);

        Assert.False(again.Early);
        Assert.Equal(admitted.GrantExpiresMs, again.ArrivalMs);
        Assert.Equal("slow", room.Order()[^1]);
    }

    private static WaitingRoom Room(long seed, int admitPerSecond = 100, int grantSeconds = 120,
        long openedAtMs = Start - 60_000) =>
        new(new WaitingRoomSettings(60, admitPerSecond, grantSeconds, seed), Start, openedAtMs);
}
