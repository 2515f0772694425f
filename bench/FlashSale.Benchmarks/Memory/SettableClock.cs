namespace FlashSale.Benchmarks.Memory;

/// <summary>
/// The system clock plus an offset the run moves forward (to pass a sale's end and the answers' retention); timers are
/// the system's, so the engine's expiry tick keeps running.
/// </summary>
internal sealed class SettableClock(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
