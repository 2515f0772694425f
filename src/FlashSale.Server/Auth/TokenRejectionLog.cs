namespace FlashSale.Server.Auth;

/// <summary>
/// Logs refused buyer tokens at Debug level, at most one line per second per reason, each line with how many refusals
/// of that reason were left out since the previous one: a flood of bad tokens cannot flood the log.
/// </summary>
internal sealed partial class TokenRejectionLog(ILogger logger, TimeProvider time)
{
    private const int Reasons = (int)TokenRejection.NotYetValid + 1;
    private readonly long[] _nextLine = new long[Reasons];
    private readonly long[] _suppressed = new long[Reasons];

    /// <summary>Notes one refusal for <paramref name="reason"/>.</summary>
    public void Refused(TokenRejection reason)
    {
        if (!logger.IsEnabled(LogLevel.Debug)) return;
        var index = (int)reason;
        var now = time.GetTimestamp();
        var next = Volatile.Read(ref _nextLine[index]);
        var claimed = now >= next
            && Interlocked.CompareExchange(ref _nextLine[index], now + time.TimestampFrequency, next) == next;
        if (!claimed)
        {
            Interlocked.Increment(ref _suppressed[index]);
            return;
        }

        TokenRefused(logger, Word(reason), Interlocked.Exchange(ref _suppressed[index], 0));
    }

    /// <summary>The reason as the log and the docs say it.</summary>
    public static string Word(TokenRejection reason) => reason switch
    {
        TokenRejection.Missing => "missing",
        TokenRejection.UnsupportedAlgorithm => "unsupported algorithm",
        TokenRejection.BadSignature => "bad signature",
        TokenRejection.Expired => "expired",
        TokenRejection.NotYetValid => "not yet valid",
        _ => "malformed",
    };

    [LoggerMessage(20, LogLevel.Debug, "Buyer token refused: {Reason} ({Suppressed} more since the last line)")]
    private static partial void TokenRefused(ILogger logger, string reason, long suppressed);
}
