using System.Net;
using System.Net.Sockets;
using System.Text;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Hosting;

/// <summary>FlashSale:Connections:MaxConcurrentConnections: a connection beyond it hears a 503 and is closed.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task A_connection_beyond_the_limit_gets_503_with_retry_after_and_the_held_ones_keep_working()
    {
        await using var server = await TestServer.StartAsync(
            "--FlashSale:Connections:MaxConcurrentConnections=2",
            "--FlashSale:Connections:RefusedRetryAfterSeconds=3");
        using var first = await OpenAsync(server.BaseAddress);
        using var second = await OpenAsync(server.BaseAddress);
        Assert.StartsWith("HTTP/1.1 200", await GetAsync(first, "/api/time"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", await GetAsync(second, "/api/time"), StringComparison.Ordinal);

        using var third = await OpenAsync(server.BaseAddress);
        var refused = await GetAsync(third, "/api/time", untilClosed: true);
        Assert.StartsWith("HTTP/1.1 503", refused, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 3\r\n", refused, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", refused, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", refused, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"busy\"", refused, StringComparison.Ordinal);
        Assert.Contains("limit of 2 open connections", refused, StringComparison.Ordinal);

        // The held connections still work; once one closes, a new one is let in.
        Assert.StartsWith("HTTP/1.1 200", await GetAsync(first, "/api/time"), StringComparison.Ordinal);
        second.Dispose();
        await Eventually.True("a new connection is let in after one closed", async () =>
        {
            using var again = await OpenAsync(server.BaseAddress);
            return (await GetAsync(again, "/api/time", untilClosed: false)).StartsWith("HTTP/1.1 200",
                StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("--FlashSale:Connections:MaxConcurrentConnections=0", "MaxConcurrentConnections")]
    [InlineData("--FlashSale:Connections:KeepAliveTimeout=00:00:00", "KeepAliveTimeout")]
    [InlineData("--FlashSale:Connections:MaxRequestBufferBytes=10", "MaxRequestBufferBytes")]
    public async Task A_bad_connection_setting_stops_the_start_with_one_line(string setting, string named)
    {
        var work = TempDirectory.Create("fs-conn-settings");
        try
        {
            var (exitCode, output) = await ServerProcess.RunAsync(work, TimeSpan.FromSeconds(60), "serve",
                "--urls", "http://127.0.0.1:0", "--data", Path.Combine(work, "data"),
                $"--FlashSale:AdminKey={TestServer.AdminKeyValue}", $"--FlashSale:TokenSecret={TestServer.TokenSecret}",
                setting);
            Assert.Equal(2, exitCode);
            Assert.Contains(named, output, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(work);
        }
    }

    private static async Task<Socket> OpenAsync(Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port));
        return socket;
    }

    private static async Task<string> GetAsync(Socket socket, string path, bool untilClosed = false)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0) return text.ToString();
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var all = text.ToString();
            var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (untilClosed || end < 0) continue;
            var length = all.Split("\r\n").FirstOrDefault(
                l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                ? int.Parse(header[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            if (all.Length - end - 4 >= length) return all;
        }
    }
}
