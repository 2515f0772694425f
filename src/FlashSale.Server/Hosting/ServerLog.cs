namespace FlashSale.Server.Hosting;

internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "FlashSale listening on {Urls}, data in {DataDirectory}, {Shards} shards")]
    public static partial void Started(ILogger logger, string urls, string dataDirectory, int shards);

    [LoggerMessage(5, LogLevel.Information,
        "FlashSale gateway listening on {Urls}, store: Redis {EndPoints} ({Primaries} primaries), gateway {Gateway}")]
    public static partial void GatewayStarted(ILogger logger, string urls, string endPoints, int primaries,
        string gateway);

    [LoggerMessage(6, LogLevel.Warning, "Acknowledged wins could be lost: {Warning}")]
    public static partial void DurabilityWarning(ILogger logger, string warning);

    [LoggerMessage(2, LogLevel.Information, "Shutting down: finishing in-flight decisions and flushing the journal")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(4, LogLevel.Warning, "Demo mode: fixed, published secrets. Never use --demo in production")]
    public static partial void DemoWarning(ILogger logger);
}
