using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

// Usage: Connections --port P --server-pid PID [--count N] [--sources S] [--path /api/time] [--sse] [--hold SECONDS]
//                    [--header "Name: value"]
//
// Opens N connections to 127.0.0.1:P, spread over source addresses 127.0.0.2 .. 127.0.0.(1+S) so that one address's
// ephemeral port range is not the limit, sends one GET on each and reads the answer (or, with --sse, the headers of
// an event stream and then whatever the server pushes), and holds them open for --hold seconds. Prints the server's
// resident memory (VmRSS of --server-pid) before, while held and after closing, and the difference per connection.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(
        "usage: Connections --port P --server-pid PID [--count N] [--sources S] [--path P] [--sse] [--hold SECONDS] " +
        "[--header \"Name: value\"]");
    return 2;
}

var before = Rss(options.ServerPid);
Console.WriteLine($"server RSS before: {before / 1024.0:F1} MiB");
var sockets = new List<Socket>(options.Count);
var request = Encoding.ASCII.GetBytes(
    $"GET {options.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{(options.Sse ? "Accept: text/event-stream\r\n" : "")}" +
    $"{(options.Header is null ? "" : options.Header + "\r\n")}\r\n");
var watch = Stopwatch.StartNew();
var failures = 0;
const int Parallel = 256;
for (var start = 0; start < options.Count; start += Parallel)
{
    var batch = Math.Min(Parallel, options.Count - start);
    var opened = await Task.WhenAll(Enumerable.Range(start, batch).Select(i => Open(i)));
    foreach (var socket in opened)
    {
        if (socket is null) failures++;
        else sockets.Add(socket);
    }
}

Console.WriteLine($"opened {sockets.Count} connections in {watch.Elapsed.TotalSeconds:F1} s ({failures} failed)");
await Task.Delay(TimeSpan.FromSeconds(Math.Min(3, options.HoldSeconds)));
var held = Rss(options.ServerPid);
Console.WriteLine($"server RSS held: {held / 1024.0:F1} MiB");
await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, options.HoldSeconds - 3)));
var heldLate = Rss(options.ServerPid);
var alive = sockets.Count(s => s.Connected && !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0));
Console.WriteLine($"server RSS at the end of the hold: {heldLate / 1024.0:F1} MiB; {alive} connections still open");
var perConnection = (Math.Max(held, heldLate) - before) / (double)Math.Max(1, sockets.Count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT connections={sockets.Count} kind={(options.Sse ? "sse" : "idle-keep-alive")} " +
    $"server_kb_per_connection={perConnection:F2} rss_before_mib={before / 1024.0:F1} " +
    $"rss_held_mib={Math.Max(held, heldLate) / 1024.0:F1}"));
foreach (var socket in sockets) socket.Dispose();
await Task.Delay(1000);
Console.WriteLine($"server RSS after closing: {Rss(options.ServerPid) / 1024.0:F1} MiB");
return failures == 0 ? 0 : 1;

async Task<Socket?> Open(int i)
{
    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        var source = new IPAddress([127, 0, 0, (byte)(2 + (i % options.Sources))]);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, options.Port));
        await socket.SendAsync(request);
        var buffer = new byte[4096];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0) throw new IOException("closed by the server");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var all = text.ToString();
            var headerEnd = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0) continue;
            if (!all.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                throw new IOException(all[..all.IndexOf('\r', StringComparison.Ordinal)]);
            if (options.Sse) break;
            var length = ContentLength(all[..headerEnd]);
            if (all.Length - headerEnd - 4 >= length) break;
        }

        if (options.Sse) _ = Drain(socket);
        return socket;
    }
    catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
    {
        if (i % 1000 == 0 || Interlocked.Increment(ref failures) < 5)
        {
            Console.Error.WriteLine($"connection {i}: {e.Message}");
        }
        socket.Dispose();
        return null;
    }
}

static async Task Drain(Socket socket)
{
    var buffer = new byte[512];
    try
    {
        while (await socket.ReceiveAsync(buffer) > 0)
        {
        }
    }
    catch (Exception e) when (e is SocketException or ObjectDisposedException)
    {
    }
}

static int ContentLength(string headers)
{
    foreach (var line in headers.Split("\r\n"))
    {
        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            return int.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
    }

    return 0;
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
    }

    throw new InvalidOperationException($"no VmRSS for process {pid}");
}

internal sealed record Options(
    int Port, int ServerPid, int Count, int Sources, string Path, bool Sse, int HoldSeconds, string? Header)
{
    public static Options? Parse(string[] args)
    {
        int port = 0, pid = 0, count = 1000, sources = 8, hold = 10;
        var path = "/api/time";
        var sse = false;
        string? header = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, out port): i++; break;
                case "--server-pid" when int.TryParse(value, out pid): i++; break;
                case "--count" when int.TryParse(value, out count): i++; break;
                case "--sources" when int.TryParse(value, out sources) && sources is > 0 and < 250: i++; break;
                case "--hold" when int.TryParse(value, out hold): i++; break;
                case "--path" when value is not null: path = value; i++; break;
                case "--sse": sse = true; break;
                case "--header" when value is not null && value.Contains(':', StringComparison.Ordinal):
                    header = value;
                    i++;
                    break;
                default: return null;
            }
        }

        return port > 0 && pid > 0 && count > 0
            ? new Options(port, pid, count, sources, path, sse, hold, header)
            : null;
    }
}
