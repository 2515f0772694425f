using System.Collections.Concurrent;
using System.Globalization;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Api;

namespace FlashSale.Server.Admission;

/// <summary>
/// The waiting rooms of the sales that have one, and the purchase path's one check of them
/// (<see cref="PassAsync"/>): a buyer goes on to the store with a valid grant, or when its turn has come (it then
/// gets its grant in the answer's <c>FlashSale-Grant</c> header); otherwise it hears its place, <c>202 waiting</c>.
/// </summary>
internal sealed class WaitingRooms
{
    public const string GrantHeader = "FlashSale-Grant";
    public const string TicketHeader = "FlashSale-Ticket";

    /// <summary>A ticket expires this long after its holder arrived, which is how it records the arrival.</summary>
    public static readonly long TicketLifetimeMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private readonly ConcurrentDictionary<string, WaitingRoom> _rooms = new(StringComparer.Ordinal);
    private readonly SignedPasses _passes;
    private readonly TimeProvider _time;

    public WaitingRooms(SignedPasses passes, TimeProvider time)
    {
        _passes = passes;
        _time = time;
    }

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The sale's room, or null when it has none.</summary>
    public WaitingRoom? RoomOf(Sale sale)
    {
        if (sale.Definition.WaitingRoom is not { } settings) return null;
        if (_rooms.TryGetValue(sale.Id, out var room)) return room;
        return _rooms.GetOrAdd(sale.Id, static (_, state) =>
            new WaitingRoom(state.settings, state.sale.StartsAtMs, state.now), (settings, sale, now: NowMs));
    }

    /// <summary>
    /// The purchase path's check: true when the purchase goes on to the store; false when the buyer was answered
    /// here (<c>202 waiting</c>, or <c>403 grant_invalid</c>).
    /// </summary>
    public async ValueTask<bool> PassAsync(HttpContext context, ISaleStore store, string saleId, string itemId,
        string userId)
    {
        if (store.FindSale(saleId) is not { } sale || RoomOf(sale) is not { } room) return true;
        var now = NowMs;

        // What the store answers from memory needs no turn: too early, ended, an unknown or sold-out item.
        if (now < room.OpensAtMs || sale.IsEnded(now)) return true;
        if (!sale.TryGetItemIndex(itemId, out var item) || store.IsSoldOut(saleId, item)) return true;

        var headers = context.Request.Headers;
        if (headers[GrantHeader] is { Count: > 0 } grant)
        {
            var check = _passes.Verify(grant.ToString(), PassKind.Grant, saleId, userId, out _);
            if (check == PassCheck.Valid) return true;
            await WriteGrantRefused(context, check);
            return false;
        }

        var place = room.Enter(userId, TicketArrival(headers[TicketHeader].ToString(), saleId, userId), now);
        if (place.Admitted)
        {
            context.Response.Headers[GrantHeader] = IssueGrant(saleId, userId, place);
            return true;
        }

        var waiting = Waiting(sale, userId, place);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.RetryAfter = RetryAfterSeconds(place.EtaMs).ToString(CultureInfo.InvariantCulture);
        await response.WriteAsJsonAsync(waiting, ServerJson.Default.WaitingDto);
        return false;
    }

    /// <summary>The arrival a valid ticket of this buyer records, or null.</summary>
    public long? TicketArrival(string? ticket, string saleId, string userId)
    {
        if (string.IsNullOrEmpty(ticket)) return null;
        return _passes.Verify(ticket, PassKind.WaitingTicket, saleId, userId, out var pass) == PassCheck.Valid
            ? pass.ExpiresAtMs - TicketLifetimeMs
            : null;
    }

    public string IssueGrant(string saleId, string userId, WaitingPlace place) =>
        _passes.Issue(PassKind.Grant, saleId, userId, place.GrantExpiresMs);

    public WaitingDto Waiting(Sale sale, string userId, WaitingPlace place) => new(
        "waiting",
        place.Position,
        place.EtaMs,
        sale.Definition.StartsAt,
        place.Early,
        _passes.Issue(PassKind.WaitingTicket, sale.Id, userId, place.ArrivalMs + TicketLifetimeMs),
        $"/api/sales/{Uri.EscapeDataString(sale.Id)}/waiting-room");

    /// <summary>Whole seconds for <c>Retry-After</c>: at least 1, at most 60 (the stream tells the exact time).
    /// </summary>
    public static long RetryAfterSeconds(long etaMs) => Math.Clamp((etaMs + 999) / 1000, 1, 60);

    private static Task WriteGrantRefused(HttpContext context, PassCheck check) =>
        Problems.Write(context, StatusCodes.Status403Forbidden, "Grant refused", check switch
        {
            PassCheck.Expired =>
                "The waiting room's grant has expired; purchase without it (or open the stream) to queue again.",
            PassCheck.WrongHolder => "The waiting room's grant is for another buyer or another sale.",
            _ => "The waiting room's grant is not valid (malformed or wrongly signed).",
        }, static writer => writer.WriteString("outcome", "grant_invalid"));
}
