using System.Globalization;
using System.Runtime.CompilerServices;
using FlashSale.Core.Reservations;
using FlashSale.Redis.Batching;
using FlashSale.Redis.Catalog;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    private const int ExportPage = 1024;

    /// <summary>
    /// Confirms a reservation (the store placed the order). Idempotent; a conflict once cancelled or expired.
    /// </summary>
    public Task<ReservationChange> ConfirmAsync(string reservationId) => ChangeAsync(reservationId, "confirm");

    /// <summary>Cancels a reservation; its unit goes back on sale. Idempotent; a conflict once confirmed.</summary>
    public Task<ReservationChange> CancelAsync(string reservationId) => ChangeAsync(reservationId, "cancel");

    /// <summary>A buyer's reservations in a sale, in decision order (empty when none). Read from the primary.</summary>
    public async Task<List<Reservation>> GetReservationsAsync(string saleId, string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var result = new List<Reservation>();
        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) return result;
        var buyer = (string?)await _database.HashGetAsync(cached.Keys.Buyers, userId);
        var bar = buyer?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        if (buyer is null || bar < 0 || bar == buyer.Length - 1) return result;
        var sequences = Array.ConvertAll(buyer[(bar + 1)..].Split(','), static s => (RedisValue)long.Parse(s,
            CultureInfo.InvariantCulture));
        var packed = await _database.HashGetAsync(cached.Keys.Reservations, sequences);
        for (var i = 0; i < sequences.Length; i++)
        {
            if (!packed[i].IsNull)
            {
                result.Add(DecisionCodec.ReadReservation(cached.Sale, (long)sequences[i], (
                string)packed[i]!));
            }
        }

        return result;
    }

    /// <summary>A reservation by id as it now stands, or null.</summary>
    public async Task<Reservation?> FindReservationAsync(string reservationId)
    {
        if (!ReservationIds.TryParse(reservationId, out var saleId, out var sequence)) return null;
        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) return null;
        var packed = await _database.HashGetAsync(cached.Keys.Reservations, sequence);
        return packed.IsNull ? null : DecisionCodec.ReadReservation(cached.Sale, sequence, (string)packed!);
    }

    /// <summary>Counts of every reservation by status, over all sales this gateway knows (for metrics).</summary>
    public async Task<IReadOnlyDictionary<ReservationStatus, long>> CountReservationsAsync()
    {
        var result = new Dictionary<ReservationStatus, long>();
        foreach (var status in Enum.GetValues<ReservationStatus>()) result[status] = 0;
        foreach (var cached in Volatile.Read(ref _ordered))
        {
            foreach (var entry in await _database.HashGetAllAsync(cached.Keys.Counts, CommandFlags.PreferReplica))
            {
                ReservationStatus? status = entry.Name.ToString() switch
                {
                    "held" => ReservationStatus.Held,
                    "confirmed" => ReservationStatus.Confirmed,
                    "cancelled" => ReservationStatus.Cancelled,
                    "expired" => ReservationStatus.Expired,
                    _ => null,
                };
                if (status is { } known) result[known] += (long)entry.Value;
            }
        }

        return result;
    }

    /// <summary>Every reservation of a sale, in decision order, as each now stands, read a page at a time.</summary>
    public async IAsyncEnumerable<Reservation> ExportReservationsAsync(string saleId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) yield break;
        var last = (long?)await _database.HashGetAsync(cached.Keys.Meta, "seq") ?? 0;
        for (long from = 1; from <= last; from += ExportPage)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(ExportPage, last - from + 1);
            var fields = new RedisValue[count];
            for (var i = 0; i < count; i++) fields[i] = from + i;
            var packed = await _database.HashGetAsync(cached.Keys.Reservations, fields);
            for (var i = 0; i < count; i++)
            {
                if (!packed[i].IsNull)
                {
                    yield return DecisionCodec.ReadReservation(cached.Sale, from + i, (
                    string)packed[i]!);
                }
            }
        }
    }

    /// <summary>
    /// The wins in a sale's outbox stream, in order: each entry is one batch's wins, a field per reservation (its
    /// sequence number, then the packed reservation), appended by the deciding script (tests; delivery to come).
    /// </summary>
    internal async Task<List<Reservation>> ReadOutboxAsync(string saleId)
    {
        var cached = await FindOrLoadAsync(saleId) ?? throw new ArgumentException($"unknown sale {saleId}", nameof(
            saleId));
        var result = new List<Reservation>();
        foreach (var entry in await _database.StreamRangeAsync(cached.Keys.Outbox))
        {
            foreach (var field in entry.Values)
            {
                result.Add(DecisionCodec.ReadReservation(cached.Sale, (long)field.Name, (string)field.Value!));
            }
        }

        return result;
    }

    private async Task<ReservationChange> ChangeAsync(string reservationId, string operation)
    {
        if (!ReservationIds.TryParse(reservationId, out var saleId, out var sequence))
        {
            return new ReservationChange(ChangeResult.NotFound, null);
        }

        var cached = await FindOrLoadAsync(saleId);
        if (cached is null) return new ReservationChange(ChangeResult.NotFound, null);
        var reply = (RedisResult[])(await _scripts.Change.EvaluateAsync(_database, cached.Keys.Meta,
            [cached.Keys.Tag, NowMs, operation, sequence, 0]))!;
        var result = (ChangeResult)(int)reply[0];
        if (result == ChangeResult.NotFound) return new ReservationChange(ChangeResult.NotFound, null);
        ApplyItems(cached, reply, 2);
        return new ReservationChange(result, DecisionCodec.ReadReservation(cached.Sale, sequence, (string)reply[1]!));
    }
}
