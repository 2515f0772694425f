namespace FlashSale.Server.Pages;

/// <summary>Durations over the last interval of the live feed.</summary>
/// <param name="Count">How many were recorded.</param>
/// <param name="PerSecond">Count divided by the interval.</param>
/// <param name="P50Ms">Median in milliseconds (bucket upper bound), or null when none.</param>
/// <param name="P99Ms">99th percentile in milliseconds, or null when none.</param>
public sealed record LiveLatency(long Count, double PerSecond, double? P50Ms, double? P99Ms);
