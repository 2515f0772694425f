using System.Diagnostics;
using System.Text.RegularExpressions;
using FlashSale.Crowd;

namespace FlashSale.Server.Hosting;

/// <summary>
/// One <c>flashsale serve --redis ...</c> child process of this executable, as <c>rehearse --redis</c> starts them: its
/// address once it listens, the last lines it wrote (to say why it did not start), killed on dispose.
/// </summary>
internal sealed partial class GatewayProcess : IDisposable
{
    private const int TailLines = 30;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process, int number)
    {
        _process = process;
        Number = number;
    }

    /// <summary>1, 2, ...: how the rehearsal names it.</summary>
    public int Number { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Completes with the gateway's base URL once it listens; fails when the process exits first.</summary>
    public Task<Uri> Listening => _listening.Task;

    /// <summary>The last lines the process wrote, stdout and stderr interleaved.</summary>
    public string Tail
    {
        get
        {
            lock (_gate) return string.Join(Environment.NewLine, _tail);
        }
    }

    /// <summary>
    /// Starts this executable (the same <c>dotnet flashsale.dll</c> or apphost that runs now) with
    /// <paramref name="arguments"/> and <paramref name="environment"/> over the inherited environment.
    /// </summary>
    public static GatewayProcess Start(
        int number, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no path to this executable");
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // Under `dotnet flashsale.dll` the process is the dotnet host: it needs the assembly again.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(GatewayProcess).Assembly.Location);
        }

        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var gateway = new GatewayProcess(process, number);
        process.OutputDataReceived += (_, e) => gateway.Read(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Read(e.Data);
        process.Exited += (_, _) => gateway.Exited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>Kills the gateway (it holds no state: Redis has every decision) and waits for it to end.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended by itself in between.
        }

        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines) _tail.Dequeue();
        }

        if (!_listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
        }
    }

    private void Exited()
    {
        _process.WaitForExit(); // the rest of its output, for the message
        _listening.TrySetException(new CrowdSetupException(
            $"gateway {Number} (flashsale serve, pid {_process.Id}) exited with code {_process.ExitCode}: "
            + Tail.Trim()));
    }

    [GeneratedRegex(@"listening on (?<url>https?://[0-9A-Za-z.:\[\]]+)")]
    private static partial Regex ListeningLine();
}
