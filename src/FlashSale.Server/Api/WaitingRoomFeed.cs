using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>
/// <c>GET /api/sales/{saleId}/waiting-room</c>: the buyer's place pushed as Server-Sent Events. Opening the stream
/// takes a ticket like a purchase does, and reconnecting (with the same buyer, or its ticket after a restart) finds
/// the same place. Events: <c>place</c> when the position changes, <c>heartbeat</c> when nothing did for
/// <see cref="Heartbeat"/>, <c>admitted</c> with the grant, then <c>result</c> once the buyer's purchase is decided
/// (or the sale sells out or ends), which ends the stream.
/// </summary>
internal static class WaitingRoomFeed
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    public static async Task<IResult> Open(
        HttpContext context,
        ISaleStore store,
        BuyerAuthenticator buyers,
        WaitingRooms rooms,
        TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        var rejection = Preamble.Buyer(context, buyers, out var userId);
        Sale? sale = null;
        if (rejection == Rejection.None) (rejection, sale) = await Preamble.Sale(context, store);
        if (rejection != Rejection.None)
        {
            await Rejections.Write(context, rejection);
            return Results.Empty;
        }

        if (rooms.RoomOf(sale!) is not { } room)
        {
            await Problems.NotFound(context, "This sale has no waiting room.");
            return Results.Empty;
        }

        var request = context.Request;
        var ticket = request.Headers[WaitingRooms.TicketHeader].ToString() is { Length: > 0 } header
            ? header
            : request.Query["ticket"].ToString();
        if (ticket.Length > SignedPasses.MaxLength)
        {
            await Problems.BadRequest(context, $"ticket must be at most {SignedPasses.MaxLength} characters.");
            return Results.Empty;
        }

        var arrival = rooms.TicketArrival(ticket, sale!.Id, userId!);
        var feed = new Feed(store, rooms, time, sale, room, userId!, arrival);
        return TypedResults.ServerSentEvents(feed.Events(context.RequestAborted, lifetime.ApplicationStopping));
    }

    private sealed class Feed(
        ISaleStore store, WaitingRooms rooms, TimeProvider time, Sale sale, WaitingRoom room, string userId,
        long? arrival)
    {
        public async IAsyncEnumerable<SseItem<string>> Events(
            CancellationToken aborted,
            CancellationToken stopping,
            [EnumeratorCancellation] CancellationToken enumeration = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, enumeration);
            var cancel = linked.Token;
            long? lastPosition = -1;
            var lastSentMs = 0L;
            var admittedUntil = 0L;
            while (!cancel.IsCancellationRequested)
            {
                var now = rooms.NowMs;
                var wait = TimeSpan.FromSeconds(1);
                if (sale.IsEnded(now))
                {
                    yield return Result("ended", null);
                    yield break;
                }

                if (now < room.OpensAtMs)
                {
                    // Not open yet: only heartbeats, until the pre-queue opens.
                    if (now - lastSentMs >= Heartbeat.TotalMilliseconds)
                    {
                        lastSentMs = now;
                        yield return HeartbeatAt(now);
                    }

                    wait = TimeSpan.FromMilliseconds(Math.Clamp(room.OpensAtMs - now, 1, 1000));
                }
                else
                {
                    var place = room.Enter(userId, arrival, now);
                    arrival = place.ArrivalMs;
                    if (place.Admitted)
                    {
                        if (admittedUntil != place.GrantExpiresMs)
                        {
                            admittedUntil = place.GrantExpiresMs;
                            lastSentMs = now;
                            yield return Item("admitted", JsonSerializer.Serialize(
                                new AdmittedDto(rooms.IssueGrant(sale.Id, userId, place),
                                    DateTimeOffset.FromUnixTimeMilliseconds(place.GrantExpiresMs)),
                                ServerJson.Default.AdmittedDto));
                        }

                        // Pushed results: the buyer's reservation once it has one.
                        var reservations = await store.GetReservationsAsync(sale.Id, userId);
                        var won = reservations.Find(static r =>
                            r.Status is ReservationStatus.Held or ReservationStatus.Confirmed);
                        if (won is not null)
                        {
                            yield return Result("won", won.ToDto());
                            yield break;
                        }

                        wait = TimeSpan.FromMilliseconds(250);
                    }
                    else
                    {
                        if (place.Position != lastPosition)
                        {
                            lastPosition = place.Position;
                            lastSentMs = now;
                            yield return Item("place", JsonSerializer.Serialize(
                                rooms.Waiting(sale, userId, place), ServerJson.Default.WaitingDto));
                        }

                        wait = TimeSpan.FromMilliseconds(Math.Clamp(place.EtaMs, 50, 1000));
                    }

                    if (SoldOut())
                    {
                        yield return Result("sold_out", null);
                        yield break;
                    }

                    if (now - lastSentMs >= Heartbeat.TotalMilliseconds)
                    {
                        lastSentMs = now;
                        yield return HeartbeatAt(now);
                    }
                }

                try
                {
                    await Task.Delay(wait, time, cancel);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }

        private bool SoldOut()
        {
            for (var i = 0; i < sale.ItemCount; i++)
            {
                if (!store.IsSoldOut(sale.Id, i)) return false;
            }

            return true;
        }

        private static SseItem<string> Result(string outcome, ReservationDto? reservation) =>
            Item("result", JsonSerializer.Serialize(new WaitingResultDto(outcome, reservation),
                ServerJson.Default.WaitingResultDto));

        private static SseItem<string> HeartbeatAt(long nowMs) =>
            Item("heartbeat", JsonSerializer.Serialize(
                new HeartbeatDto(DateTimeOffset.FromUnixTimeMilliseconds(nowMs)), ServerJson.Default.HeartbeatDto));

        private static SseItem<string> Item(string type, string data) => new(data, type);
    }
}
