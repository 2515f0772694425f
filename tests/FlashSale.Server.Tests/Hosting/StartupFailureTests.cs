using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Hosting;

/// <summary>
/// The real executable failing to start, as a new user meets it: one line saying what and how to fix it, a
/// documented exit code, no stack trace, and no temporary directory left behind.
/// </summary>
public sealed partial class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _work = TempDirectory.Create("fs-startup");

    public StartupFailureTests()
    {
        Directory.CreateDirectory(Temp);
    }

    /// <summary>The child's temporary directory (TMPDIR), so that what <c>--demo</c> leaves behind can be
    /// seen.</summary>
    private string Temp => Path.Combine(_work, "tmp");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task Serve_demo_on_an_address_in_use_says_so_in_one_line_exits_2_and_leaves_no_temporary_directory()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        await using var server = ServerProcess.Start(_work, Environment(), "serve", "--demo", "--urls", address);
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{server.Output}");
        var complaint = Assert.Single(server.Output.Split('\n'), line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal));
        Assert.Contains(address, complaint, StringComparison.Ordinal);
        Assert.Contains("already in use", complaint, StringComparison.Ordinal);
        Assert.Contains("--urls", complaint, StringComparison.Ordinal);
        Assert.Equal(complaint, server.Output.Trim());
        AssertNoStackTrace(server.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Serve_demo_says_its_data_directory_is_temporary_and_removes_it_on_a_clean_stop()
    {
        await using var server = ServerProcess.Start(_work, Environment(), "serve", "--demo", "--urls",
            "http://127.0.0.1:0");
        await server.WaitReadyAsync();
        var line = await server.WaitForOutputAsync(TemporaryLine(), Deadline);
        var data = TemporaryLine().Match(line).Groups["dir"].Value;
        Assert.StartsWith(Temp, data, StringComparison.Ordinal);
        Assert.True(Directory.Exists(data), data);

        server.Terminate();
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{server.Output}");
        Assert.False(Directory.Exists(data), $"{data} is still there");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Serve_with_an_address_that_is_not_one_says_so_in_one_line_and_exits_2()
    {
        await using var server = ServerProcess.Start(_work, Environment(), "serve", "--demo", "--urls", "nowhere");
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{server.Output}");
        var complaint = Assert.Single(server.Output.Split('\n'), line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal));
        Assert.Contains("--urls 'nowhere'", complaint, StringComparison.Ordinal);
        AssertNoStackTrace(server.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Serve_with_a_data_directory_it_cannot_use_says_so_in_one_line_and_exits_3()
    {
        var file = Path.Combine(_work, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");

        await using var server = ServerProcess.Serve(_work, Path.Combine(file, "data"));
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 3, $"exit code {exitCode}:\n{server.Output}");
        var complaint = Assert.Single(server.Output.Split('\n'), line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal));
        Assert.Contains("data directory", complaint, StringComparison.Ordinal);
        AssertNoStackTrace(server.Output);
    }

    [Fact]
    public async Task Serve_without_its_secrets_names_each_missing_one_on_its_own_line_and_exits_2()
    {
        await using var server = ServerProcess.Start(_work, Environment(), "serve", "--urls", "http://127.0.0.1:0",
            "--data", Path.Combine(_work, "data"));
        var exitCode = await server.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{server.Output}");
        var complaints = server.Output.Split('\n').Where(line => line.StartsWith("flashsale serve:",
            StringComparison.Ordinal)).ToList();
        Assert.Equal(2, complaints.Count);
        Assert.Contains(complaints, c => c.Contains("FlashSale:AdminKey is required", StringComparison.Ordinal));
        Assert.Contains(complaints, c => c.Contains("FlashSale:TokenSecret is required", StringComparison.Ordinal));
        AssertNoStackTrace(server.Output);
    }

    private Dictionary<string, string> Environment() => new() { ["TMPDIR"] = Temp };

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Data in (?<dir>\S+): temporary, removed when the server stops")]
    private static partial Regex TemporaryLine();
}
