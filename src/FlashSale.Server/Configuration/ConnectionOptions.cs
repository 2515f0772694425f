namespace FlashSale.Server.Configuration;

/// <summary>
/// Kestrel's connection limits and buffers (<c>FlashSale:Connections</c>). The defaults hold 15,000 keep-alive
/// connections per process in a few KB each (bench/README.md, "Connections").
/// </summary>
public sealed class ConnectionOptions
{
    /// <summary>
    /// Most open connections (keep-alive and event streams alike); null: no limit. A connection beyond it is
    /// answered <c>503</c> problem+json with <c>Retry-After</c> and closed, without reaching the application.
    /// </summary>
    public int? MaxConcurrentConnections { get; set; }

    /// <summary>Most upgraded connections (WebSockets; FlashSale serves none, so the default is small).</summary>
    public int MaxConcurrentUpgradedConnections { get; set; } = 100;

    /// <summary>How long an idle keep-alive connection stays open (Kestrel's default: 130 s).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Bytes Kestrel buffers from one connection before it stops reading it (backpressure; Kestrel's default 1 MiB).
    /// Bodies are streamed, so this bounds memory per busy connection, not the largest body.
    /// </summary>
    public int MaxRequestBufferBytes { get; set; } = 64 * 1024;

    /// <summary>Bytes of response Kestrel buffers for one connection before the writer waits (64 KiB).</summary>
    public int MaxResponseBufferBytes { get; set; } = 64 * 1024;

    /// <summary>Seconds a client refused by <see cref="MaxConcurrentConnections"/> is told to wait.</summary>
    public int RefusedRetryAfterSeconds { get; set; } = 1;

    /// <summary>Returns the problems with these options, each as one line.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxConcurrentConnections is < 1)
        {
            yield return "FlashSale:Connections:MaxConcurrentConnections must be at least 1 (or absent: no limit)";
        }

        if (MaxConcurrentUpgradedConnections < 0)
        {
            yield return "FlashSale:Connections:MaxConcurrentUpgradedConnections must not be negative";
        }

        if (KeepAliveTimeout <= TimeSpan.Zero) yield return "FlashSale:Connections:KeepAliveTimeout must be positive";
        if (MaxRequestBufferBytes < 4096) yield return "FlashSale:Connections:MaxRequestBufferBytes must be >= 4096";
        if (MaxResponseBufferBytes < 4096) yield return "FlashSale:Connections:MaxResponseBufferBytes must be >= 4096";
        if (RefusedRetryAfterSeconds < 1) yield return "FlashSale:Connections:RefusedRetryAfterSeconds must be >= 1";
    }
}
