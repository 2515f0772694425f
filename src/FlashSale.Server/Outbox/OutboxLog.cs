namespace FlashSale.Server.Outbox;

internal static partial class OutboxLog
{
    [LoggerMessage(40, LogLevel.Information, "Webhook delivery to {Url} starts after cursor '{Cursor}'")]
    public static partial void Resuming(ILogger logger, string url, string cursor);

    [LoggerMessage(41, LogLevel.Warning,
        "Webhook POST of {Count} reservations (delivery {DeliveryId}, try {Try}) failed: {Reason}; retrying in "
        + "{DelayMs} ms")]
    public static partial void Failed(ILogger logger, int count, string deliveryId, int @try, string reason,
        long delayMs);

    [LoggerMessage(42, LogLevel.Information, "Another gateway delivers the webhook now; this one stands by")]
    public static partial void LeaseLost(ILogger logger);

    [LoggerMessage(43, LogLevel.Warning, "Reading the outbox or saving webhook progress failed; retrying")]
    public static partial void StoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(44, LogLevel.Error,
        "The saved webhook cursor is not one of this store's; delivering again from the first reservation")]
    public static partial void CursorRefused(ILogger logger, Exception exception);
}
