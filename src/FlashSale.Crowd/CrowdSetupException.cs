namespace FlashSale.Crowd;

/// <summary>
/// The crowd cannot run or verify: the server is unreachable, the sale unknown, the admin key refused. The message says
/// which.
/// </summary>
public sealed class CrowdSetupException : Exception
{
    public CrowdSetupException() : this("the crowd cannot run") { }

    public CrowdSetupException(string message) : base(message) { }

    public CrowdSetupException(string message, Exception innerException) : base(message, innerException) { }
}
