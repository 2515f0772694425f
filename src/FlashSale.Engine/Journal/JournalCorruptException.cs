namespace FlashSale.Engine.Journal;

/// <summary>
/// A journal record that fails its checks anywhere but the torn tail: the engine refuses to start rather than
/// silently drop decisions. The message names the file and the byte offset.
/// </summary>
public sealed class JournalCorruptException : Exception
{
    /// <summary>
    /// Creates the exception for a bad record at <paramref name="offset"/> of <paramref name="path"/>.
    /// </summary>
    public JournalCorruptException(string path, long offset, string reason)
        : base($"journal corrupt: {path} at byte offset {offset}: {reason}. Refusing to start; restore the file "
            + "from a backup or move it aside knowingly.")
    {
        FilePath = path;
        Offset = offset;
    }

    /// <summary>Creates the exception without a location.</summary>
    public JournalCorruptException() : this("(unknown)", 0, "corrupt") { }

    /// <summary>Creates the exception with a message.</summary>
    public JournalCorruptException(string message) : base(message) => FilePath = "(unknown)";

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public JournalCorruptException(string message, Exception innerException)
        : base(message, innerException) => FilePath = "(unknown)";

    /// <summary>The journal file holding the bad record.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the bad record in <see cref="FilePath"/>.</summary>
    public long Offset { get; }
}
