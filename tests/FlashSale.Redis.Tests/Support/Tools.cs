using System.Diagnostics;

namespace FlashSale.Redis.Tests.Support;

/// <summary>Finds and runs the Redis command-line tools.</summary>
public static class Tools
{
    /// <summary>
    /// Polls <paramref name="condition"/> (a Redis command, so synchronous) until it holds; throws a
    /// <see cref="TimeoutException"/> saying <paramref name="what"/> did not happen within <paramref name="timeout"/>.
    /// </summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{what} within {timeout}");
            Thread.Sleep(50);
        }
    }

    public static string Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':',
            StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }

        throw new InvalidOperationException(
            $"{name} is not installed: the Redis tests need a real Redis "
            + "(Debian: apt-get install -y redis-server redis-tools)");
    }

    public static string Run(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{name} {string.Join(' ', arguments)} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{name} {string.Join(' ', arguments)} failed: {output.Result} {error.Result}");
        }

        return output.Result;
    }
}
