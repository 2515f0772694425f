using Microsoft.Extensions.Logging;

namespace FlashSale.Redis;

internal static partial class RedisLog
{
    [LoggerMessage(1, LogLevel.Information, "Redis store connected to {Endpoints} as gateway {Gateway}")]
    public static partial void Connected(ILogger logger, string endpoints, string gateway);

    [LoggerMessage(2, LogLevel.Warning,
        "A batch of {Count} attempts of sale {SaleId} got no reply (try {Try}); resending it with the same batch id")]
    public static partial void BatchRetry(ILogger logger, int count, string saleId, int @try, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "A batch of {Count} attempts of sale {SaleId} failed; answering busy")]
    public static partial void BatchFailed(ILogger logger, int count, string saleId, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Refreshing from Redis failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Expiring holds failed")]
    public static partial void ExpiryFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Item {ItemId} of sale {SaleId} {Change}")]
    public static partial void Availability(ILogger logger, string saleId, string itemId, string change);

    [LoggerMessage(7, LogLevel.Error, "An availability subscriber threw")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Warning,
        "Expiry of sale {SaleId} refused: a newer lease holder has acted there (token {Token})")]
    public static partial void Fenced(ILogger logger, string saleId, long token);

    [LoggerMessage(9, LogLevel.Information, "Redis store stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(10, LogLevel.Warning,
        "A batch of {Count} attempts of sale {SaleId} was not confirmed on {Replicas} replicas in time; "
        + "its wins answer busy")]
    public static partial void Unconfirmed(ILogger logger, int count, string saleId, int replicas);

    [LoggerMessage(11, LogLevel.Warning, "Reading the topology again after a connection failure failed")]
    public static partial void ReconfigureFailed(ILogger logger, Exception exception);
}
