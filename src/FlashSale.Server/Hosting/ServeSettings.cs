namespace FlashSale.Server.Hosting;

/// <summary>What <c>flashsale serve</c> was asked for.</summary>
/// <param name="Urls">Where Kestrel listens.</param>
/// <param name="DataDirectory">Journals and snapshots; null for the configured default (<c>./data</c>).</param>
/// <param name="Demo">Demo secrets and a sample sale.</param>
/// <param name="ConfigurationArgs">Configuration overrides (<c>--FlashSale:AdminKey=...</c>).</param>
public sealed record ServeSettings(string Urls, string? DataDirectory, bool Demo,
    IReadOnlyList<string> ConfigurationArgs)
{
    /// <summary>Default listen address.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>The data directory is a fresh temporary one (<c>--demo</c>), removed when the server stops.</summary>
    public bool TemporaryData { get; init; }

    /// <summary>
    /// <c>--redis</c>: the StackExchange.Redis configuration string of cluster mode, over
    /// <c>FlashSale:Redis:Configuration</c>; null to keep the configured one (absent: embedded mode).
    /// </summary>
    public string? Redis { get; init; }
}
