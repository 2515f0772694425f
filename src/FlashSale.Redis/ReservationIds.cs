using System.Globalization;
using FlashSale.Core.Sales;

namespace FlashSale.Redis;

/// <summary>
/// Reservation ids of the Redis store: <c>&lt;saleId&gt;-&lt;n&gt;</c>, n counted in the sale's slot by the deciding
/// script, so an id is made once, by Redis, whichever gateway asked: stable and unique across gateways. The sale id in
/// it finds the slot of a confirm or cancel.
/// </summary>
public static class ReservationIds
{
    /// <summary>The id of reservation <paramref name="sequence"/> of sale <paramref name="saleId"/>.</summary>
    public static string Make(string saleId, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{saleId}-{sequence}");

    /// <summary>Splits an id into sale and sequence; false when it is not one of ours.</summary>
    public static bool TryParse(string? id, out string saleId, out long sequence)
    {
        saleId = "";
        sequence = 0;
        if (string.IsNullOrEmpty(id) || id.Length > SaleDefinition.MaxIdLength + 21) return false;
        var dash = id.LastIndexOf('-');
        if (dash <= 0 || !long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture,
            out sequence))
        {
            return false;
        }

        saleId = id[..dash];
        return sequence > 0 && SaleDefinition.IsValidId(saleId);
    }
}
