using System.Net;
using System.Net.Sockets;
using System.Text;
using FlashSale.Server.Api;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>A wrong method answers 405 with Allow; what Kestrel refuses itself answers as documented.</summary>
public sealed class MethodAndKestrelLimitTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    public static TheoryData<string, string, string> WrongMethods() => new()
    {
        { "DELETE", "/api/sales/some-sale", "GET" },
        { "GET", "/api/sales/some-sale/purchase", "POST" },
        { "PUT", "/api/sales/some-sale/purchase", "POST" },
        { "POST", "/api/time", "GET" },
        { "POST", "/healthz", "GET" },
        { "DELETE", "/admin/sales", "GET, POST" },
        { "GET", "/admin/sales/some-sale/close", "POST" },
        { "GET", "/admin/reservations/0-1/confirm", "POST" },
    };

    [Theory]
    [MemberData(nameof(WrongMethods))]
    public async Task A_wrong_method_on_a_known_path_answers_405_problem_with_Allow(
        string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await _server.Client.SendAsync(request);
        var problem = await HttpAssert.Problem(response, 405);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        Assert.Contains(method, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_path_still_answers_404_problem_whatever_the_method()
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Delete })
        {
            using var response = await _server.Client.SendAsync(new HttpRequestMessage(method, "/no/such/thing"));
            Assert.Equal("No such resource.", (string?)(await HttpAssert.Problem(response, 404))["detail"]);
            Assert.Empty(response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task Kestrel_answers_an_over_long_request_line_with_414_and_an_empty_body_then_closes()
    {
        var answer = await Raw($"GET /api/sales/{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 414 ", answer, StringComparison.Ordinal);
        AssertEmptyAndClosed(answer);
    }

    [Fact]
    public async Task Kestrel_answers_over_large_headers_with_431_and_an_empty_body_then_closes()
    {
        var answer = await Raw($"GET /api/time HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', 40_000)}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431 ", answer, StringComparison.Ordinal);
        AssertEmptyAndClosed(answer);
    }

    [Fact]
    public async Task A_body_over_the_request_body_limit_answers_413_problem_not_500()
    {
        // Announced by Content-Length: refused at the first read, before the body is sent.
        var answer = await Raw(
            "POST /admin/sales HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.AdminKeyValue
            + $"\r\nContent-Type: application/json\r\nContent-Length: {EdgeLimits.MaxRequestBodyBytes + 1}\r\n\r\n{{");
        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"status\":413", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(
            _server.Logs.ErrorsAndWarnings(),
            line => line.Contains("BadHttpRequestException", StringComparison.Ordinal));
    }

    private static void AssertEmptyAndClosed(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var (head, body) = (answer[..end], answer[(end + 4)..]);
        Assert.Contains("\r\nContent-Length: 0", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nConnection: close", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", body);
    }

    /// <summary>Sends raw bytes and reads until the server closes the connection.</summary>
    private async Task<string> Raw(string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port, deadline.Token);
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token);
        }
        catch (SocketException)
        {
            // The server may close while the rest of an over-long request is still being sent; its answer is read
            // below.
        }

        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            }
            catch (SocketException)
            {
                break;
            }

            if (read == 0) break;
            received.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
