namespace FlashSale.Server.Hosting;

/// <summary>The configuration is missing or wrong; the server refuses to start and says what to fix.</summary>
public sealed class ConfigurationProblemException : Exception
{
    /// <summary>Creates the exception listing every problem.</summary>
    public ConfigurationProblemException(IReadOnlyList<string> problems)
        : base("FlashSale cannot start: " + string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Creates the exception.</summary>
    public ConfigurationProblemException() : this(["invalid configuration"]) { }

    /// <summary>Creates the exception with a message.</summary>
    public ConfigurationProblemException(string message) : base(message) => Problems = [message];

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public ConfigurationProblemException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    /// <summary>Each problem, one sentence each (the command line prints one line per problem).</summary>
    public IReadOnlyList<string> Problems { get; }
}
