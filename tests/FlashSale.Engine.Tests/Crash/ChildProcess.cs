using System.Diagnostics;

namespace FlashSale.Engine.Tests.Crash;

/// <summary>
/// A running <see cref="CrashChild"/>: its complete output lines as they come, and a way to SIGKILL it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly Task _reading;
    private readonly Task<string> _errors;
    private (Func<IReadOnlyList<string>, bool> Condition, TaskCompletionSource Reached)? _waiter;

    private ChildProcess(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        _reading = Task.Run(ReadAsync);
    }

    public static ChildProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(CrashChild).Assembly.Location);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException("child did not start"));
    }

    /// <summary>The complete lines printed so far, without their end marker.</summary>
    public List<string> Lines
    {
        get
        {
            lock (_gate) return [.. _lines];
        }
    }

    /// <summary>
    /// Completes once the lines printed satisfy <paramref name="condition"/>; fails if the child exits first or the
    /// deadline passes.
    /// </summary>
    public async Task WaitForAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan deadline)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_lines)) return;
            _waiter = (condition, reached);
        }

        var finished = await Task.WhenAny(reached.Task, _reading).WaitAsync(deadline);
        if (finished != reached.Task) throw new InvalidOperationException($"child exited early: {await _errors}");
    }

    /// <summary>Kills the child with SIGKILL and waits until it is gone and its output is read to the end.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _reading.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            // A line the kill cut short has no end marker; the child never finished telling anyone about it.
            if (!line.EndsWith(" .", StringComparison.Ordinal)) continue;
            lock (_gate)
            {
                _lines.Add(line[..^2]);
                if (_waiter is { } waiter && waiter.Condition(_lines))
                {
                    waiter.Reached.TrySetResult();
                    _waiter = null;
                }
            }
        }
    }
}
