namespace FlashSale.Core.Outbox;

/// <summary>A cursor that the store did not make (malformed, or from another store or data directory).</summary>
public sealed class OutboxCursorException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public OutboxCursorException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OutboxCursorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OutboxCursorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
