using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>flashsale</c> executable as a child process (<c>dotnet flashsale.dll ...</c>), for what only a process
/// can show: SIGKILL and SIGTERM, exit codes, what the CLI prints. Output is collected line by line.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The built <c>flashsale.dll</c> of the server project (same configuration as the tests).</summary>
    public static string ServerDll { get; } = FindServerDll();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_gate) return _output.ToString();
        }
    }

    /// <summary>
    /// Starts <c>dotnet flashsale.dll {arguments}</c> in <paramref name="workingDirectory"/> (so no stray
    /// appsettings.json is read).
    /// </summary>
    public static ServerProcess Start(string workingDirectory, params string[] arguments) =>
        Start(workingDirectory, null, arguments);

    /// <summary>
    /// Starts <c>dotnet flashsale.dll {arguments}</c> with extra <paramref name="environment"/> variables.
    /// </summary>
    public static ServerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment,
        params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        // Only what the test passes configures the server.
        foreach (var key in info.Environment.Keys.Where(
            k => k.StartsWith("FlashSale", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Exited += (_, _) => server._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// <c>flashsale serve</c> on a port the OS picks, with the test secrets and <paramref name="configuration"/>.
    /// </summary>
    public static ServerProcess Serve(string workingDirectory, string dataDirectory, params string[] configuration) =>
        Serve(workingDirectory, dataDirectory, null, configuration);

    /// <summary><c>flashsale serve</c> as above, with extra <paramref name="environment"/> variables.</summary>
    public static ServerProcess Serve(string workingDirectory, string dataDirectory,
        IReadOnlyDictionary<string, string>? environment, params string[] configuration) =>
        Start(workingDirectory, environment, [
            "serve", "--urls", "http://127.0.0.1:0", "--data", dataDirectory,
            $"--FlashSale:AdminKey={TestServer.AdminKeyValue}", $"--FlashSale:TokenSecret={TestServer.TokenSecret}",
                .. configuration]);

    /// <summary>Runs a command to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan deadline,
        params string[] arguments)
    {
        await using var process = Start(workingDirectory, arguments);
        var exitCode = await process.WaitForExitAsync(deadline);
        return (exitCode, process.Output);
    }

    /// <summary>
    /// Waits for the "listening on" line, then for <c>/healthz</c> to answer 200; returns the base address.
    /// </summary>
    public async Task<Uri> WaitReadyAsync(TimeSpan? deadline = null)
    {
        var line = await WaitForOutputAsync(ListeningLine(), deadline ?? TimeSpan.FromSeconds(60));
        var address = new Uri(ListeningLine().Match(line).Groups["url"].Value);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.True("/healthz of the child server answers 200", async () =>
        {
            if (HasExited) Assert.Fail($"server exited with {ExitCode}:\n{Output}");
            try
            {
                using var response = await client.GetAsync("/healthz");
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too slow to answer on a loaded machine: ask again
                return false;
            }
        }, deadline);
        return address;
    }

    /// <summary>
    /// Waits until the output holds a match of <paramref name="pattern"/>; returns the matching text from the output.
    /// </summary>
    public async Task<string> WaitForOutputAsync(Regex pattern, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var output = Output;
            if (pattern.Match(output) is { Success: true } match) return match.Value;
            if (HasExited && pattern.Match(Output) is { Success: false })
            {
                await _exited.Task;
                _process.WaitForExit();
                if (pattern.Match(Output) is { Success: true } late) return late.Value;
                Assert.Fail($"process exited ({ExitCode}) before printing /{pattern}/:\n{Output}");
            }

            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for /{pattern}/ in the output:\n{output}");
            await Task.Delay(25);
        }
    }

    /// <summary>SIGKILL: no chance to flush or say goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as a container runtime or systemd stops a service.</summary>
    public void Terminate()
    {
        var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// Waits for the process to end; fails (after killing it) when it does not within <paramref name="deadline"/>.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        try
        {
            await _exited.Task.WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            Kill();
            Assert.Fail($"process did not exit within {deadline.TotalSeconds:0} s:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (?<url>http://[0-9.:]+)")]
    private static partial Regex ListeningLine();

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _output.AppendLine(line);
    }

    private static string FindServerDll()
    {
        var candidates = new List<string>();
        var output = typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(
            a => a.Key == "ServerProjectOutput")?.Value;
        if (output is not null) candidates.Add(Path.Combine(output, "flashsale.dll"));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "flashsale.dll"));
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate) && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json")))
                return Path.GetFullPath(candidate);
        }

        throw new FileNotFoundException(
            "flashsale.dll (with its runtimeconfig) not found; looked at: " + string.Join(", ", candidates));
    }
}
