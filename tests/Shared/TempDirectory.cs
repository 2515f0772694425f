namespace FlashSale.Tests.Common;

/// <summary>
/// A fresh directory under the system temp directory, deleted with everything in it on dispose; or, through
/// <see cref="Create"/> and <see cref="Delete"/>, one a test makes and removes itself. Linked into every test project
/// (tests/Directory.Build.props).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "fs-test") => Path = Create(prefix);

    public string Path { get; }

    /// <summary>A fresh, empty directory; its name starts with <paramref name="prefix"/>.</summary>
    public static string Create(string prefix)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes <paramref name="path"/> and everything in it, if it exists.</summary>
    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be closing its files; the OS cleans temp eventually.
        }
    }

    /// <summary>A new, not yet existing, directory inside this one.</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Delete(Path);
}
