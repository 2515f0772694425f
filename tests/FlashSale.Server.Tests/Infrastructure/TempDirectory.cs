namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>Fresh directories under the system temp directory, removed by the test that made them.</summary>
public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

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
}
