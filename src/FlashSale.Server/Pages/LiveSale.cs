namespace FlashSale.Server.Pages;

/// <summary>One sale in a live snapshot.</summary>
/// <param name="Id">The sale id.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">scheduled, open, sold_out or ended.</param>
/// <param name="Stock">Units stocked over all items.</param>
/// <param name="UnitsLeft">Units not yet won over all items (may lag by a moment).</param>
/// <param name="Attempts">Purchase attempts answered since start (in memory).</param>
/// <param name="Won">Reservations made.</param>
/// <param name="WonPerSecond">Reservations made per second over the last interval.</param>
/// <param name="PerSecond">Attempts per second over the last interval, by outcome word.</param>
public sealed record LiveSale(
    string Id,
    string Name,
    string State,
    long Stock,
    long UnitsLeft,
    long Attempts,
    long Won,
    double WonPerSecond,
    IReadOnlyDictionary<string, double> PerSecond);
