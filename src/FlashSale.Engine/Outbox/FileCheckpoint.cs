using System.Text;
using FlashSale.Core.Outbox;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Outbox;

/// <summary>
/// A delivery's progress in the data directory (<c>outbox/&lt;name&gt;.cursor</c>): written to a temporary file,
/// fsynced, renamed over the old one and the directory fsynced, so after a crash the file holds the old cursor or the
/// new one, never a torn one. The engine's directory lock makes its process the only deliverer, so the right to
/// deliver is always held.
/// </summary>
public sealed class FileCheckpoint : IDeliveryCheckpoint
{
    private readonly string _directory;
    private readonly string _path;

    /// <summary>A checkpoint named <paramref name="name"/> under <paramref name="dataDirectory"/>.</summary>
    public FileCheckpoint(string dataDirectory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _directory = Path.Combine(dataDirectory, "outbox");
        _path = Path.Combine(_directory, name + ".cursor");
    }

    /// <summary>The file the cursor is kept in.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    public ValueTask<bool> TryHoldAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    /// <inheritdoc/>
    public async ValueTask<string?> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(_path)) return null;
        var text = (await File.ReadAllTextAsync(_path, Encoding.UTF8, cancellationToken)).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> SaveAsync(string cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        Directory.CreateDirectory(_directory);
        var temporary = _path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096,
            FileOptions.Asynchronous))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes(cursor + "\n"), cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        DirectorySync.Sync(_directory);
        return true;
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync() => ValueTask.CompletedTask;
}
