namespace FlashSale.Crowd;

/// <summary>
/// What verification compares: the sale, what the crowd was told, and (with the admin key) the export.
/// </summary>
/// <param name="Sale">The sale: items, stock, per-user limit.</param>
/// <param name="Population">The buyers, for who wanted which item.</param>
/// <param name="Wins">Every <c>won</c> answer received (a repeated answer to the same request appears again).</param>
/// <param name="NotThrough">Why not every buyer got a decision (gave up, never clicked), or null when all did.</param>
/// <param name="Errors">Answers outside the contract, by kind.</param>
/// <param name="Export">The admin export, or null without the admin key.</param>
internal sealed record VerificationInput(
    SaleInfo Sale,
    BuyerPopulation Population,
    IReadOnlyList<CrowdWin> Wins,
    string? NotThrough,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyList<ExportedReservation>? Export);
