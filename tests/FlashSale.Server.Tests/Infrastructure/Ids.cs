namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>Unique ids, so tests sharing a server never meet.</summary>
public static class Ids
{
    private static int _next;

    public static string New(string prefix) =>
        $"{prefix}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid().ToString("N")[..6]}";
}
