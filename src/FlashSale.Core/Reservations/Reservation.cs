namespace FlashSale.Core.Reservations;

/// <summary>A unit held for a buyer who won it. Immutable: a status change makes a new value.</summary>
/// <param name="Id">Stable, unique id (<c>{shard}-{sequence}</c>); the main store deduplicates on it.</param>
/// <param name="SaleId">The sale.</param>
/// <param name="ItemId">The item.</param>
/// <param name="UserId">The buyer.</param>
/// <param name="Quantity">Units held (always 1 today).</param>
/// <param name="CreatedAt">When it was won.</param>
/// <param name="HoldUntil">When it expires unless confirmed.</param>
/// <param name="Status">Current status.</param>
public sealed record Reservation(
    string Id,
    string SaleId,
    string ItemId,
    string UserId,
    int Quantity,
    DateTimeOffset CreatedAt,
    DateTimeOffset HoldUntil,
    ReservationStatus Status)
{
    /// <summary>
    /// Makes the id of the reservation number <paramref name="sequence"/> of shard <paramref name="shard"/>.
    /// </summary>
    public static string MakeId(int shard, long sequence) =>
        string.Create(null, stackalloc char[32], $"{shard}-{sequence}");

    /// <summary>Reads the shard index out of a reservation id; false when the id is not one of ours.</summary>
    public static bool TryParseId(string? id, out int shard, out long sequence)
    {
        shard = 0;
        sequence = 0;
        if (string.IsNullOrEmpty(id) || id.Length > 40) return false;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(id.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out shard)
            && long.TryParse(id.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out sequence);
    }
}
