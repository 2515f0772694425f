using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FlashSale.Redis.Tests.Support;

/// <summary>
/// One real <c>redis-server</c> on a free loopback port, in its own temporary directory, killed and deleted on
/// dispose. Fails loudly when redis-server is not installed: these tests are never skipped.
/// </summary>
public sealed class RedisProcess : IDisposable
{
    private static readonly Lock PortGate = new();

    private readonly string[] _arguments;
    private Process _process;

    private RedisProcess(int port, string directory, string[] arguments)
    {
        Port = port;
        Directory = directory;
        _arguments = arguments;
        _process = Launch();
    }

    public int Port { get; }

    public string Directory { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    public static RedisProcess Start(params string[] extraArguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "flashsale-redis-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        var redis = new RedisProcess(port, directory, extraArguments);
        try
        {
            redis.WaitForPing(TimeSpan.FromSeconds(15));
        }
        catch
        {
            redis.Dispose();
            throw;
        }

        return redis;
    }

    /// <summary>
    /// Starts the server again after <see cref="Kill"/>: same port, directory (so the same append-only file) and
    /// arguments.
    /// </summary>
    public void Restart()
    {
        Kill();
        _process.Dispose();
        _process = Launch();
        WaitForPing(TimeSpan.FromSeconds(30));
    }

    /// <summary>The value of one field of <c>INFO section</c>, or null.</summary>
    public string? Info(string section, string field)
    {
        foreach (var line in Cli("INFO", section).Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..].Trim();
        }

        return null;
    }

    /// <summary>Runs <c>redis-cli -p port args</c> and returns its output.</summary>
    public string Cli(params string[] arguments) => Tools.Run("redis-cli", ["-p", Port.ToString(
        System.Globalization.CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>kill -9: SIGKILL, no shutdown, nothing flushed that was not already written.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held; the temp directory is cleaned by the OS.
        }
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo(Tools.Find("redis-server"))
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--dir", Directory, "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--protected-mode", "no", "--logfile", Path.Combine(Directory, "redis.log"), .. _arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
    }

    private void WaitForPing(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                var log = Path.Combine(Directory, "redis.log");
                throw new InvalidOperationException(
                    $"redis-server on port {Port} exited: {_process.StandardError.ReadToEnd()} "
                    + (File.Exists(log) ? File.ReadAllText(log) : ""));
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var buffer = new byte[64];
                var read = stream.Read(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within {timeout}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    public static int FreePort()
    {
        lock (PortGate)
        {
            for (var tries = 0; tries < 200; tries++)
            {
                var port = Random.Shared.Next(20_000, 50_000);
                if (IsFree(port) && IsFree(port + 10_000)) return port;
            }

            throw new InvalidOperationException("no free port pair found");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
