namespace FlashSale.Crowd;

/// <summary>One item of the sale after the run.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Stock">Units stocked.</param>
/// <param name="Buyers">Buyers who wanted it.</param>
/// <param name="Won">Distinct reservations announced to the crowd.</param>
/// <param name="Exported">Live reservations in the export (null without it).</param>
/// <param name="SoldOutSeen">Some buyer was told sold_out.</param>
internal sealed record ItemResult(string Id, int Stock, int Buyers, long Won, long? Exported, bool SoldOutSeen);
