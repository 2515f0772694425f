namespace FlashSale.Benchmarks.Support;

/// <summary>The clock every benchmark reads: the system's.</summary>
internal static class BenchClock
{
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
    /// <summary>The system clock.</summary>
    public static TimeProvider Time { get; } = TimeProvider.System;
#pragma warning restore RS0030
}
