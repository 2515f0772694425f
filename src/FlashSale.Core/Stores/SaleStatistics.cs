namespace FlashSale.Core.Stores;

/// <summary>What a sale's stats query answers.</summary>
/// <param name="Attempts">Purchase attempts answered (every outcome, busy and rate_limited included).</param>
/// <param name="Won">Reservations made (a repeated requestId answered won again is not a second one).</param>
/// <param name="SoldOutAt">When every item of the sale was last seen sold out, or null.</param>
/// <param name="Outcomes">
/// Answers by outcome word, repeats included; kept in memory, so they count from zero after a restart.
/// </param>
public sealed record SaleStatistics(
    long Attempts, long Won, DateTimeOffset? SoldOutAt, IReadOnlyDictionary<string, long> Outcomes);
