using System.Diagnostics;
using System.Text;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>
/// A tool of the deployment (redis-server, nginx) as a non-daemon child process: its output collected, killed with
/// its children on dispose, whatever the test's outcome.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate) return _output.ToString();
        }
    }

    public static ChildProcess Start(string tool, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(Which(tool))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, $"{tool} {string.Join(' ', arguments)}");
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end (it is killed on dispose if not).</summary>
    public bool WaitForExit(TimeSpan deadline)
    {
        if (!_process.WaitForExit(deadline)) return false;
        _process.WaitForExit();
        return true;
    }

    /// <summary>Runs a tool to its end within a minute; fails the test on a non-zero exit code.</summary>
    public static string Run(string tool, string workingDirectory, params string[] arguments)
    {
        using var child = Start(tool, workingDirectory, arguments);
        if (!child._process.WaitForExit(60_000)) Assert.Fail($"{child.Name} did not finish within 60 s");
        child._process.WaitForExit();
        Assert.True(child._process.ExitCode == 0, $"{child.Name} exited {child._process.ExitCode}:\n{child.Output}");
        return child.Output;
    }

    /// <summary>The tool's full path; fails loudly when it is not installed (./test.sh installs it).</summary>
    public static string Which(string tool)
    {
        if (Path.IsPathRooted(tool)) return tool;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':',
            StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin"))
        {
            var path = Path.Combine(directory, tool);
            if (File.Exists(path)) return path;
        }

        throw new InvalidOperationException(
            $"{tool} is not installed: the deployment tests run it for real (./test.sh installs it; Debian: "
            + "apt-get install -y redis-server redis-tools nginx)");
    }

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
            // Ended by itself.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _output.AppendLine(line);
    }
}
