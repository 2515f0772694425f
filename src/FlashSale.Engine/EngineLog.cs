using Microsoft.Extensions.Logging;

namespace FlashSale.Engine;

internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Engine recovered {Sales} sales and {Reservations} reservations over {Shards} shards from {Directory} "
        + "in {Milliseconds} ms")]
    public static partial void Recovered(ILogger logger, int sales, int reservations, int shards, string directory,
        long milliseconds);

    [LoggerMessage(2, LogLevel.Warning,
        "Data directory {Directory} was made for {Stored} shards; keeping {Stored} (configured: {Configured})")]
    public static partial void ShardCountKept(ILogger logger, string directory, int stored, int configured);

    [LoggerMessage(3, LogLevel.Critical, "Shard {Shard} failed; the engine stops taking purchases")]
    public static partial void ShardFailed(ILogger logger, int shard, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "An availability subscriber threw")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Engine stopped: every queued decision made, journals flushed and closed")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Item {ItemId} of sale {SaleId} is {State}")]
    public static partial void Availability(ILogger logger, string saleId, string itemId, string state);
}
