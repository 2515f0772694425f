using System.Reflection;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>Where the repository's files (deploy/) are, as the build recorded it.</summary>
public static class Repository
{
    public static string Root { get; } = Path.GetFullPath(
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "RepositoryRoot").Value!);
}
