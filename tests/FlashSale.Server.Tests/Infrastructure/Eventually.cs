namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>Awaits a condition with a deadline, polling briefly: no fixed sleeps in tests.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a non-null value or the deadline passes (then fails with
    /// <paramref name="what"/>).
    /// </summary>
    public static async Task<T> Get<T>(string what, Func<Task<T?>> probe, TimeSpan? deadline = null) where T : class
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > until)
                Assert.Fail($"Timed out after {(deadline ?? DefaultDeadline).TotalSeconds:0} s waiting for: {what}");
            await Task.Delay(25);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static Task True(string what, Func<Task<bool>> condition, TimeSpan? deadline = null) =>
        Get<object>(what, async () => await condition() ? new object() : null, deadline);
}
