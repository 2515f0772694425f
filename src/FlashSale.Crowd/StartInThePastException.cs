namespace FlashSale.Crowd;

/// <summary>The server refused the rehearsal's sale because its start had passed by the time the request
/// arrived.</summary>
internal sealed class StartInThePastException : Exception
{
    public StartInThePastException() : this("the sale's start was in the past when the server read it") { }

    public StartInThePastException(string message) : base(message) { }

    public StartInThePastException(string message, Exception innerException) : base(message, innerException) { }
}
