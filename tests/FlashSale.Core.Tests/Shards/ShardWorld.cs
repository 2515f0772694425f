using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Shards;

namespace FlashSale.Core.Tests.Shards;

/// <summary>
/// A few shards over two sales with a pool per item, driven one <see cref="ShardStep"/> at a time the way the engine
/// drives them (units move through the pool, freed units go back to it, a waiting attempt makes the other shards
/// release), with a model of what every answer and every reservation must be. Every step checks the answer against the
/// model; <see cref="CheckInvariants"/> checks DESIGN.md's invariants 1, 2 and 4 and the counters against the model.
/// </summary>
public sealed class ShardWorld
{
    public const int ShardCount = 3;
    public const int UserCount = 6;

    private static readonly long T0 = DateTimeOffset.Parse("2026-01-01T10:00:00Z",
        System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private readonly RecordingSink[] _fullLogs = new RecordingSink[ShardCount];
    private readonly PoolStock[] _stock = new PoolStock[ShardCount];
    // The first remembered answer to each (sale, buyer, requestId), and the item it was for.
    private readonly Dictionary<(int Sale, string User, string Request), (int Item, Decision Decision)> _answers = [];
    private readonly List<ModelReservation> _won = [];

    public ShardWorld()
    {
        Sales =
        [
            new Sale(new SaleDefinition("a", "Sale A", At(0), null, 2, 3, null,
                [new ItemDefinition("x", "X", 10m, 3), new ItemDefinition("y", "Y", 20m, 1),
                    new ItemDefinition("z", "Z", 30m, 0)])),
            new Sale(new SaleDefinition("b", "Sale B", At(2_000), At(20_000), 1, 5, ["u0", "u1", "u2", "u3", "u4"],
                [new ItemDefinition("w", "W", 5m, 2)])),
        ];
        Pool = [.. Sales.Select(static s => s.Definition.Items.Select(static i => i.Stock).ToArray())];
        for (var i = 0; i < ShardCount; i++)
        {
            Shards[i] = new ShardState(i);
            Sinks[i] = new RecordingSink();
            _fullLogs[i] = new RecordingSink();
            _stock[i] = new PoolStock(this, i);
        }
    }

    public Sale[] Sales { get; }

    public int[][] Pool { get; }

    public ShardState[] Shards { get; } = new ShardState[ShardCount];

    /// <summary>Per shard, what its journal would hold: the last snapshot's events, then every event since.</summary>
    public RecordingSink[] Sinks { get; } = new RecordingSink[ShardCount];

    public long Now { get; private set; } = T0;

    /// <summary>Every answer and result, in order: two runs of the same steps must write the same transcript.</summary>
    public List<string> Transcript { get; } = [];

    public int IndexOf(Sale sale) => Array.IndexOf(Sales, sale);

    public void Run(ShardStep step)
    {
        switch (step.Kind)
        {
            case StepKind.Purchase:
                Purchase(step.A % Sales.Length, step.B, $"u{step.C}", step.D == 0 ? null : $"r{step.D}");
                break;
            case StepKind.Confirm:
                Change(step.A, confirm: true);
                break;
            case StepKind.Cancel:
                Change(step.A, confirm: false);
                break;
            case StepKind.Expire:
                Expire(step.A);
                break;
            case StepKind.Advance:
                Now += step.A;
                break;
            case StepKind.Release:
                Release(step.A, step.B % Sales.Length, step.C);
                break;
            case StepKind.Snapshot:
                Snapshot(step.A);
                break;
            case StepKind.Close:
                Sales[step.A % Sales.Length].Close(Now);
                break;
        }
    }

    private void Purchase(int saleIndex, int item, string user, string? requestId)
    {
        var sale = Sales[saleIndex];
        var itemIndex = item % sale.ItemCount;
        var shardIndex = ShardRouter.ShardOf(user, ShardCount);
        var shard = Shards[shardIndex];
        (int Item, Decision Decision) first = default;
        var repeat = requestId is not null && _answers.TryGetValue((saleIndex, user, requestId), out first);
        var liveBefore = _won.Count(r => r.SaleIndex == saleIndex && r.Won.UserId == user && r.IsLive);
        var unitsBefore = UnitsLeft(saleIndex, itemIndex);

        var events = Sinks[shardIndex].Events.Count;
        var decision = Decide(shardIndex, sale, itemIndex, user, requestId);
        if (decision.Outcome == Outcome.WaitingForStock)
        {
            Assert.False(repeat, "a repeated request must get its first answer, not wait");
            Assert.Equal(events, Sinks[shardIndex].Events.Count);
            Assert.Equal(0, Pool[saleIndex][itemIndex]);

            // What the engine does: the other shards give their units back to the pool, then the attempt is decided
            // again.
            Transcript.Add($"{user} {sale.Id}/{itemIndex} {requestId}: waiting");
            var returned = 0;
            for (var other = 0; other < ShardCount; other++)
            {
                if (other != shardIndex) returned += Release(other, saleIndex, itemIndex);
            }

            Assert.True(returned > 0, "waiting for stock although no other shard holds a unit");
            decision = Decide(shardIndex, sale, itemIndex, user, requestId);
            Assert.NotEqual(Outcome.WaitingForStock, decision.Outcome);
        }

        Transcript.Add($"{user} {sale.Id}/{itemIndex} {requestId}: {decision.Outcome} {decision.Reservation?.Id}");
        if (repeat && first.Item != itemIndex)
        {
            // The requestId was answered for another item: that answer is not this item's, and nothing is decided.
            Assert.Equal(Decision.Of(Outcome.RequestIdReused), decision);
            Assert.Equal(events, Sinks[shardIndex].Events.Count);
            Assert.Equal(unitsBefore, UnitsLeft(saleIndex, itemIndex));
            return;
        }

        if (repeat)
        {
            // Invariant 4: the same requestId from the same buyer is decided once.
            Assert.Equal(first.Decision.Outcome, decision.Outcome);
            Assert.Equal(first.Decision.Reservation?.Id, decision.Reservation?.Id);
            Assert.Equal(events, Sinks[shardIndex].Events.Count);
            return;
        }

        Assert.Equal(Expected(sale, user, liveBefore, unitsBefore), decision.Outcome);
        if (requestId is not null && decision.Outcome.IsRemembered())
        {
            _answers.Add((saleIndex, user, requestId), (itemIndex, decision));
        }

        if (decision.Outcome != Outcome.Won) return;

        var reservation = decision.Reservation!;
        Assert.Equal((sale.Id, sale.Definition.Items[itemIndex].Id, user, 1, ReservationStatus.Held),
            (reservation.SaleId, reservation.ItemId, reservation.UserId, reservation.Quantity, reservation.Status));
        Assert.Equal(Now, reservation.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(Now + (sale.Definition.HoldSeconds * 1000L), reservation.HoldUntil.ToUnixTimeMilliseconds());
        Assert.True(Reservation.TryParseId(reservation.Id, out var idShard, out _) && idShard == shardIndex,
            $"reservation id {reservation.Id} does not name shard {shardIndex}");
        Assert.DoesNotContain(_won, r => r.Won.Id == reservation.Id);
        _won.Add(new ModelReservation(reservation, shardIndex, saleIndex, itemIndex));
    }

    /// <summary>The contract's precedence: the sale's own state, then eligibility, then limit, then stock.</summary>
    private Outcome Expected(Sale sale, string user, int liveBefore, int unitsBefore)
    {
        if (Now < sale.StartsAtMs) return Outcome.NotStarted;
        if (Now >= sale.EndsAtMs || sale.ClosedAt is not null) return Outcome.Ended;
        if (!sale.IsEligible(user)) return Outcome.NotEligible;
        if (liveBefore >= sale.Definition.PerUserLimit) return Outcome.LimitReached;
        return unitsBefore == 0 ? Outcome.SoldOut : Outcome.Won;
    }

    private Decision Decide(int shardIndex, Sale sale, int itemIndex, string user, string? requestId) =>
        Shards[shardIndex].Decide(sale, itemIndex, user, requestId, Now, _stock[shardIndex],
            new TeeSink(Sinks[shardIndex], _fullLogs[shardIndex]));

    private void Change(int wonIndex, bool confirm)
    {
        var known = wonIndex < _won.Count;
        var id = known ? _won[wonIndex].Won.Id : "1-999999";
        var shardIndex = known ? _won[wonIndex].Shard : 1;
        var freed = new List<FreedUnit>();
        var sink = new TeeSink(Sinks[shardIndex], _fullLogs[shardIndex]);
        var change = confirm
            ? Shards[shardIndex].Confirm(id, Now, sink, freed)
            : Shards[shardIndex].Cancel(id, Now, sink, freed);
        Transcript.Add($"{(confirm ? "confirm" : "cancel")} {id}: {change.Result} {change.Reservation?.Status}");
        if (!known)
        {
            Assert.Equal(new ReservationChange(ChangeResult.NotFound, null), change);
            Assert.Empty(freed);
            return;
        }

        var model = _won[wonIndex];
        var expectedFreed = 0;
        if (model.Status == ReservationStatus.Held && model.HoldUntilMs <= Now)
        {
            model.Status = ReservationStatus.Expired;
            expectedFreed = 1;
        }

        ChangeResult expected;
        switch (model.Status, confirm)
        {
            case (ReservationStatus.Held, true):
                model.Status = ReservationStatus.Confirmed;
                expected = ChangeResult.Ok;
                break;
            case (ReservationStatus.Held, false):
                model.Status = ReservationStatus.Cancelled;
                expected = ChangeResult.Ok;
                expectedFreed = 1;
                break;
            case (ReservationStatus.Confirmed, true):
            case (ReservationStatus.Cancelled or ReservationStatus.Expired, false):
                expected = ChangeResult.Ok;
                break;
            default:
                expected = ChangeResult.Conflict;
                break;
        }

        Assert.Equal(expected, change.Result);
        Assert.Equal(model.Won with { Status = model.Status }, change.Reservation);
        Assert.Equal(expectedFreed, freed.Count);
        GiveBack(freed);
    }

    private void Expire(int shardIndex)
    {
        var freed = new List<FreedUnit>();
        var expired = Shards[shardIndex].ExpireDue(Now, new TeeSink(Sinks[shardIndex], _fullLogs[shardIndex]), freed);
        Transcript.Add($"expire {shardIndex}: {expired}");
        var expected = 0;
        foreach (var model in _won)
        {
            if (model.Shard != shardIndex || model.Status != ReservationStatus.Held || model.HoldUntilMs > Now)
                continue;
            model.Status = ReservationStatus.Expired;
            expected++;
        }

        Assert.Equal(expected, expired);
        Assert.Equal(expected, freed.Count);
        GiveBack(freed);
    }

    private int Release(int shardIndex, int saleIndex, int item)
    {
        var sale = Sales[saleIndex];
        var itemIndex = item % sale.ItemCount;
        var before = Shards[shardIndex].CountsOf(sale.Id, itemIndex).Local;
        var returned = Shards[shardIndex].Release(sale.Id, itemIndex,
            new TeeSink(Sinks[shardIndex], _fullLogs[shardIndex]));
        Transcript.Add($"release {shardIndex} {sale.Id}/{itemIndex}: {returned}");
        Assert.Equal(before, returned);
        Pool[saleIndex][itemIndex] += returned;
        return returned;
    }

    /// <summary>
    /// What the engine does when a segment is full: the state is written as a snapshot and rebuilt from it.
    /// </summary>
    private void Snapshot(int shardIndex)
    {
        var before = Shards[shardIndex].Describe();
        var snapshot = new RecordingSink();
        Shards[shardIndex].WriteSnapshot(snapshot);
        Assert.Equal(before, Shards[shardIndex].Describe());
        var rebuilt = snapshot.Replay(shardIndex);
        Assert.Equal(before, rebuilt.Describe());
        Shards[shardIndex] = rebuilt;
        Sinks[shardIndex] = snapshot;
    }

    private void GiveBack(List<FreedUnit> freed)
    {
        // In the engine a freed unit goes back to the pool once its change is durable; here at once.
        foreach (var unit in freed) Pool[IndexOf(Sales.Single(s => s.Id == unit.SaleId))][unit.ItemIndex]++;
    }

    private int UnitsLeft(int saleIndex, int itemIndex)
    {
        var units = Pool[saleIndex][itemIndex];
        foreach (var shard in Shards) units += shard.CountsOf(Sales[saleIndex].Id, itemIndex).Local;
        return units;
    }

    /// <summary>DESIGN.md's invariants 1 and 2, and every counter and status against the model.</summary>
    public void CheckInvariants()
    {
        for (var s = 0; s < Sales.Length; s++)
        {
            var sale = Sales[s];
            for (var i = 0; i < sale.ItemCount; i++)
            {
                // Invariant 1: every unit is in exactly one place.
                var netTaken = 0;
                for (var k = 0; k < ShardCount; k++)
                {
                    var counts = Shards[k].CountsOf(sale.Id, i);
                    Assert.True(counts.Local >= 0 && counts.Held >= 0 && counts.Confirmed >= 0,
                        $"negative counter {counts} on shard {k}");
                    Assert.Equal(counts.NetTaken, counts.Local + counts.Held + counts.Confirmed);
                    var mine = _won.Where(r => r.Shard == k && r.SaleIndex == s && r.ItemIndex == i).ToList();
                    Assert.Equal(mine.Count, counts.Made);
                    Assert.Equal(mine.Count(r => r.Status == ReservationStatus.Held), counts.Held);
                    Assert.Equal(mine.Count(r => r.Status == ReservationStatus.Confirmed), counts.Confirmed);
                    netTaken += counts.NetTaken;
                }

                Assert.True(Pool[s][i] >= 0, "negative pool");
                Assert.Equal(sale.Definition.Items[i].Stock, Pool[s][i] + netTaken);
            }

            for (var u = 0; u < UserCount; u++)
            {
                // Invariant 2: nobody holds more than perUserLimit live reservations.
                var user = $"u{u}";
                var live = _won.Count(r => r.SaleIndex == s && r.Won.UserId == user && r.IsLive);
                Assert.True(live <= sale.Definition.PerUserLimit,
                    $"{user} holds {live} live reservations in {sale.Id}");
                var shard = Shards[ShardRouter.ShardOf(user, ShardCount)];
                Assert.Equal(live, shard.LiveReservationsOf(sale.Id, user));
                Assert.Equal(_won.Where(r => r.SaleIndex == s && r.Won.UserId == user).Select(
                    r => r.Won with { Status = r.Status }), shard.ReservationsOf(sale.Id, user));
            }
        }

        foreach (var model in _won)
            Assert.Equal(model.Status, Shards[model.Shard].FindReservation(model.Won.Id)?.Status);
    }

    /// <summary>
    /// Replaying what each shard's journal holds, and each shard's snapshot, rebuilds exactly its state.
    /// </summary>
    public void CheckReplay()
    {
        for (var k = 0; k < ShardCount; k++)
        {
            var live = Shards[k].Describe();
            Assert.Equal(live, Sinks[k].Replay(k).Describe());
            Assert.Equal(live, _fullLogs[k].Replay(k).Describe());
            var snapshot = new RecordingSink();
            Shards[k].WriteSnapshot(snapshot);
            var rebuilt = snapshot.Replay(k);
            Assert.Equal(live, rebuilt.Describe());
            Assert.Equal(Shards[k].NextHoldDueMs, rebuilt.NextHoldDueMs);
            Assert.Equal(Shards[k].ReservationCount, rebuilt.ReservationCount);
        }
    }

    private static DateTimeOffset At(long offsetMs) => DateTimeOffset.FromUnixTimeMilliseconds(T0 + offsetMs);

    /// <summary>Sends each event both to the current journal (reset at snapshots) and to the full history.</summary>
    private sealed class TeeSink(RecordingSink current, RecordingSink all) : IShardEventSink
    {
        public void Append(in ShardEvent shardEvent)
        {
            current.Append(shardEvent);
            all.Append(shardEvent);
        }
    }
}
