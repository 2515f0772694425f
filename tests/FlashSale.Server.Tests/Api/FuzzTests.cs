using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using FlashSale.Server.Api;
using FlashSale.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Server.Tests.Api;

/// <summary>
/// Ten thousand random and malformed requests (fixed seed): no 5xx, the server stays up, nothing is logged as an
/// error, and the engine's state is exactly what it was. Requests that could change state if the server were lenient
/// (a valid token on an open sale, the admin key) only ever carry input that is invalid by construction.
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 424242;
    private const int Requests = 10_000;
    private const string Open = "fz-open";

    private static readonly string[] Sales = [Open, "fz-empty", "fz-closed", "fz-future"];
    private static readonly string[] Methods =
        ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "post", "CONNECTX"];
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz", "application/problem+json", "application/jsonx", "*/*", "((()))", "",
    ];

    private static readonly string[] Segments =
    [
        Open, "fz-empty", "fz-closed", "fz-future", "FZ-OPEN", "..", "%2e%2e", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "..%2f..%2fetc%2fpasswd", "%2F", "%00", "%ZZ", "%",
        "販売", "😀", "%F0%9F%98%80", "%C0%AF", "%FF%FE", "a%20b", "+", "~", "'", "\"", "<script>", "a;b", "a=b",
        "", " ", "null", "undefined", "0", "-1",
        "9999999999999999999999", new string('s', EdgeLimits.MaxIdLength), new string('s', EdgeLimits.MaxIdLength + 1),
        new string('x', 5000), "phone", "demo", "sales", "purchase", "%u0041",
    ];

    [Fact]
    public async Task Ten_thousand_random_and_malformed_requests_get_no_5xx_and_change_nothing()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:RateLimit:Enabled=false");
        var held = await Prepare(server);
        var before = await Snapshot(server);

        using var client = server.NewClient(maxConnections: 16);
        client.Timeout = TimeSpan.FromSeconds(20);
        var validToken = server.TokenFor("fuzzer");
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var clientErrors = 0;
        var raw = 0;
        var slow = new ConcurrentBag<(double Seconds, string What)>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, cancellationToken) =>
        {
            var random = new Random(Seed + i);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (random.Next(10) == 0)
            {
                Interlocked.Increment(ref raw);
                var (request, status) = await SendRaw(server.BaseAddress, random, validToken);
                slow.Add((System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
                    "raw " + Describe(request)));
                if (status is { } s)
                {
                    statuses.AddOrUpdate(s, 1, (_, n) => n + 1);
                    // 505 is Kestrel's protocol answer to "HTTP/9.9", before any application code: a client error in
                    // all but its number.
                    if (s >= 500 && !(s == 505 && request.Contains(" HTTP/9.9\r\n", StringComparison.Ordinal)))
                        failures.Enqueue($"#{i} raw {s}: {Describe(request)}");
                }

                return;
            }

            using var message = BuildRequest(random, validToken, held);
            var authorization = message.Headers.Authorization?.ToString()
                ?? string.Join(",", message.Headers.TryGetValues("Authorization", out var a) ? a : []);
            var description = $"{message.Method} {message.RequestUri} auth={Describe(authorization)}";
            try
            {
                using var response = await client.SendAsync(message, cancellationToken);
                var code = (int)response.StatusCode;
                statuses.AddOrUpdate(code, 1, (_, n) => n + 1);
                slow.Add((System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, description));
                if (code >= 500)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    failures.Enqueue($"#{i} {code}: {description}: {Describe(body)}");
                }
            }
            catch (Exception e) when (
                e is HttpRequestException or TaskCanceledException or InvalidOperationException or FormatException)
            {
                slow.Add((System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
                    "error " + e.GetType().Name + " " + description));
                // The client refused to send it, or the server answered 4xx and closed mid-body: not a 5xx either way.
                Interlocked.Increment(ref clientErrors);
            }
        });

        output.WriteLine(
            $"{Requests} requests ({raw} raw), {clientErrors} refused by the client or cut by the server; statuses: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}")));
        foreach (var (seconds, what) in slow.OrderByDescending(s => s.Seconds).Take(5))
            output.WriteLine($"{seconds:0.000} s {what}");
        Assert.True(failures.IsEmpty, $"{failures.Count} requests got a 5xx:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(clientErrors < Requests / 20, $"{clientErrors} requests did not get an answer");
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) >= 8, "the fuzz should meet many kinds of 4xx");

        // Still up, nothing logged as an error, and not one change in the engine.
        using (var health = await server.Client.GetAsync("/healthz"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Empty(server.Logs.ErrorsAndWarnings(LogLevel.Error));
        Assert.Equal(before, await Snapshot(server));

        // The separate check: the open sale could be won all along, by a well-formed request.
        using var won = await server.PurchaseAsync(Open, server.TokenFor("after-fuzz"));
        await HttpAssert.Won(won, Open, "after-fuzz");
    }

    /// <summary>
    /// Sales in every state, with reservations held, confirmed and cancelled. Returns the held reservation's id.
    /// </summary>
    private static async Task<string> Prepare(TestServer server)
    {
        await server.CreateSaleAsync(new
        {
            id = Open,
            name = "Fuzz target",
            startsAt = "now",
            perUserLimit = 2,
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 50 },
                new { id = "case", name = "Case", price = 1m, stock = 50 } },
        });
        await server.CreateOpenSaleAsync("fz-empty", stock: 0);
        await server.CreateOpenSaleAsync("fz-closed", stock: 10);
        await server.CreateSaleAsync(new
        {
            id = "fz-future",
            name = "Later",
            startsAt = DateTimeOffset.UtcNow.AddDays(1),
            items = new[] { new { id = "phone", name = "P", price = 1m, stock = 5 } },
        });
        using (await server.Admin.PostAsync("/admin/sales/fz-closed/close", null))
        {
        }

        var ids = new List<string>();
        foreach (var user in new[] { "w1", "w2", "w3" })
        {
            using var response = await server.PurchaseAsync(Open, server.TokenFor(user));
            ids.Add((string)(await HttpAssert.Won(response, Open, user))["id"]!);
        }

        using (await server.Admin.PostAsync($"/admin/reservations/{ids[1]}/confirm", null))
        using (await server.Admin.PostAsync($"/admin/reservations/{ids[2]}/cancel", null))
        {
        }

        return ids[0];
    }

    /// <summary>
    /// Everything that must not change: every sale as the admin sees it (minus counters) and every export.
    /// </summary>
    private static async Task<string> Snapshot(TestServer server)
    {
        var text = new StringBuilder();
        using var list = await server.Admin.GetAsync("/admin/sales");
        foreach (var sale in (await HttpAssert.Json(list)).AsArray())
        {
            var id = (string)sale!["id"]!;
            sale.AsObject().Remove("stats");
            text.AppendLine(sale.ToJsonString());
            using var export = await server.Admin.GetAsync($"/admin/sales/{id}/reservations?format=jsonl");
            text.AppendLine(await export.Content.ReadAsStringAsync());
        }

        return text.ToString();
    }

    private static HttpRequestMessage BuildRequest(Random random, string validToken, string heldReservation)
    {
        var (method, path, authorization, body, contentType) = random.Next(6) switch
        {
            0 or 1 => Purchase(random, validToken),
            2 => BuyerRead(random, validToken),
            3 => Admin(random, heldReservation),
            4 => AnyPath(random, validToken),
            _ => Probe(random),
        };

        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body is not null)
        {
            request.Content = random.Next(8) == 0 ? new ChunkedContent(body) : new ByteArrayContent(body);
            if (contentType is { Length: > 0 })
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (random.Next(20) == 0) request.Content.Headers.TryAddWithoutValidation("Content-Encoding", "gzip");
        }

        for (var h = random.Next(4); h > 0; h--)
            request.Headers.TryAddWithoutValidation(RandomHeaderName(random), RandomHeaderValue(random));
        if (random.Next(50) == 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization",
            RandomToken(random, validToken, mayBeValid: false));
        }

        if (random.Next(200) == 0) request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 40_000));
        return request;
    }

    /// <summary>
    /// A purchase: the only request that could win, so a valid token on the open sale gets only invalid bodies.
    /// </summary>
    private static (string Method, string Path, string? Authorization, byte[]? Body,
        string? ContentType) Purchase(Random random, string validToken)
    {
        var sale = random.Next(4) == 0 ? Pick(random, Segments) : Pick(random, Sales);
        var token = RandomToken(random, validToken, mayBeValid: true);
        var dangerous = token.Contains(validToken, StringComparison.Ordinal) && sale == Open;
        var body = dangerous ? InvalidBody(random) : AnyBody(random);
        var method = random.Next(5) == 0 ? Pick(random, Methods) : "POST";
        return (method, $"/api/sales/{sale}/purchase{RandomQuery(random)}", token, body, Pick(random, ContentTypes));
    }

    private static (string Method, string Path, string? Authorization, byte[]? Body,
        string? ContentType) BuyerRead(Random random, string validToken)
    {
        var path = random.Next(3) switch
        {
            0 => "/api/sales",
            1 => $"/api/sales/{Pick(random, Segments)}",
            _ => $"/api/sales/{Pick(random, Segments)}/reservation",
        };
        var method = random.Next(4) == 0 ? Pick(random, Methods) : "GET";

        // A POST to a purchase path that the router could still match (e.g. trailing dots) gets an invalid body anyway.
        return (method, path + RandomQuery(random), RandomToken(random, validToken, mayBeValid: true),
            random.Next(3) == 0 ? InvalidBody(random) : null, Pick(random, ContentTypes));
    }

    /// <summary>
    /// Admin calls: a wrong key anywhere; the right key only on reads, invalid creates and reservations that do not
    /// exist.
    /// </summary>
    private static (string Method, string Path, string? Authorization, byte[]? Body,
        string? ContentType) Admin(Random random, string heldReservation)
    {
        if (random.Next(2) == 0)
        {
            var wrong = random.Next(4) switch
            {
                0 => null,
                1 => "Bearer " + TestServer.AdminKeyValue[..^1],
                2 => "Bearer " + RandomAscii(random, random.Next(0, 64)),
                _ => "Basic " + TestServer.AdminKeyValue,
            };
            var target = random.Next(4) switch
            {
                0 => $"/admin/sales/{Open}/close",
                1 => $"/admin/reservations/{heldReservation}/cancel",
                2 => $"/admin/reservations/{heldReservation}/confirm",
                _ => "/admin/sales",
            };
            return ("POST", target, wrong, random.Next(2) == 0 ? Encoding.UTF8.GetBytes(ValidSale()) : AnyBody(random),
                "application/json");
        }

        var key = "Bearer " + TestServer.AdminKeyValue;
        return random.Next(5) switch
        {
            0 => ("GET", "/admin/sales" + RandomQuery(random), key, null, null),
            1 => ("GET", $"/admin/sales/{Pick(random, Segments)}{RandomQuery(random)}", key, null, null),
            2 => ("GET",
                $"/admin/sales/{Pick(random, Segments)}/reservations?format=" +
                $"{Pick(random, ["csv", "jsonl", "xml", "", "CSV", "%00", "csv&format=jsonl"])}",
                key, null, null),
            3 => ("POST", "/admin/sales", key, InvalidSale(random), Pick(random, ContentTypes)),
            _ => ("POST", $"/admin/reservations/{MissingReservation(random)}/{Pick(random, ["confirm", "cancel"])}",
                key, random.Next(2) == 0 ? AnyBody(random) : null, "application/json"),
        };
    }

    private static (string Method, string Path, string? Authorization, byte[]? Body,
        string? ContentType) AnyPath(Random random, string validToken)
    {
        var depth = random.Next(1, 6);
        var path = new StringBuilder();
        for (var d = 0; d < depth; d++)
        {
            path.Append('/');
            path.Append(random.Next(3) switch
            {
                0 => Pick(random, Segments),
                1 => Pick(random, ["api", "admin", "sales", "reservations", "purchase", "reservation", "metrics",
                    "healthz", "time", "..", "."]),
                _ => Uri.EscapeDataString(RandomUnicode(random, random.Next(1, 20))),
            });
        }

        // Never a purchase with a valid token or an admin call with the key from here, since the random body might be
        // valid: judged on the path as the client sends it (dot segments removed) and as the server decodes it.
        var token = RandomToken(random, validToken, mayBeValid: true);
        if (path.Length > 1 && path[1] == '/') path.Insert(0, "/x"); // "//host" would name an authority, not a path
        var sent = Uri.TryCreate(new Uri("http://fuzz"), path.ToString(), out var uri)
            ? Uri.UnescapeDataString(uri.AbsolutePath)
            : "admin purchase";
        if (sent.Contains("purchase", StringComparison.OrdinalIgnoreCase)
            || sent.Contains("admin", StringComparison.OrdinalIgnoreCase))
        {
            token = "Bearer junk";
        }
        return (Pick(random, Methods), path.ToString() + RandomQuery(random), token,
            random.Next(2) == 0 ? AnyBody(random) : null, Pick(random, ContentTypes));
    }

    private static (string Method, string Path, string? Authorization, byte[]? Body,
        string? ContentType) Probe(Random random)
    {
        var path = Pick(random, ["/healthz", "/metrics", "/api/time", "/api/sales", "/healthz/", "/metrics?name[]=x",
            "/api/time?now=0", "/healthz/..", "/HEALTHZ"]);
        return (random.Next(3) == 0 ? Pick(random, Methods) : "GET", path, null,
            random.Next(4) == 0 ? AnyBody(random) : null, Pick(random, ContentTypes));
    }

    /// <summary>Bodies that can never be a valid purchase of an existing item.</summary>
    private static byte[] InvalidBody(Random random)
    {
        const string Valid = """{"itemId":"phone","requestId":"fz"}""";
        return random.Next(12) switch
        {
            0 => Encoding.UTF8.GetBytes(Valid[..random.Next(Valid.Length)]), // every strict prefix is invalid JSON
            1 => Encoding.UTF8.GetBytes(
                $$"""{"itemId":{{Pick(random, ["1", "true", "null", "[]", "{}", "\"\"", "1e999", "\"\\ud800\""])}}}"""),
            2 => Encoding.UTF8.GetBytes(
                $$"""{"itemId":"{{Pick(random,
                    ["nope", "PHONE", "phone ", "ph\\u0000one", new string('p', EdgeLimits.MaxIdLength + 1)])}}"}"""),
            3 => Encoding.UTF8.GetBytes(
                $$"""{"itemId":"phone","requestId":{{Pick(random,
                    ["1", "\"\"", "[]", $"\"{new string('r', EdgeLimits.MaxRequestIdLength + 1)}\""])}}}"""),
            4 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 20_000))),
            5 => Encoding.UTF8.GetBytes(
                "{\"a\":" + new string('[', 5000) + new string(']', 5000) + ",\"itemId\":\"phone\"}"),
            6 => Encoding.UTF8.GetBytes("{\"itemId\":\"phone\"," + new string(' ', 5000) + "}"),
            7 => Encoding.Unicode.GetBytes(Valid), // UTF-16: not UTF-8 JSON
            8 => Encoding.UTF8.GetBytes(Valid + Valid),
            9 => Encoding.UTF8.GetBytes("{\"itemId\":\"phone\"" + new string('x', random.Next(1, 100)) + "}"),
            10 => RandomBytes(random, random.Next(0, 3000)),
            _ => Encoding.UTF8.GetBytes(Pick(random, ["", "null", "[]", "\"phone\"", "{}", "{\"itemId\":}",
                "{\"itemId\" \"phone\"}", "{'itemId':'phone'}", "itemId=phone"])),
        };
    }

    private static byte[] AnyBody(Random random) => random.Next(4) switch
    {
        0 => Encoding.UTF8.GetBytes(
            $$"""{"itemId":"{{Pick(random, ["phone", "case", "nope"])}}"{{(random.Next(2) == 0
                ? $",\"requestId\":\"fz-{random.Next(100)}\"" : "")}}}"""),
        1 => Encoding.UTF8.GetBytes(new string('x', random.Next(0, 200_000))),
        _ => InvalidBody(random),
    };

    private static string ValidSale() =>
        $$"""{"id":"fz-evil-{{Guid.NewGuid():N}}","name":"Evil","startsAt":"2099-01-01T00:00:00Z","items":""" +
        """[{"id":"a","name":"A","price":1,"stock":5}]}""";

    /// <summary>Sale bodies that must be refused: never a sale created by the fuzz.</summary>
    private static byte[] InvalidSale(Random random)
    {
        var valid = ValidSale();
        return random.Next(8) switch
        {
            0 => Encoding.UTF8.GetBytes(valid[..random.Next(valid.Length)]),
            1 => Encoding.UTF8.GetBytes(valid.Replace("\"stock\":5", "\"stock\":-5", StringComparison.Ordinal)),
            2 => Encoding.UTF8.GetBytes(valid.Replace("\"items\":[", "\"items\":[null,", StringComparison.Ordinal)),
            3 => Encoding.UTF8.GetBytes(valid.Replace("\"price\":1", "\"price\":\"1\"", StringComparison.Ordinal)),
            4 => Encoding.UTF8.GetBytes(valid.Replace("2099-01-01T00:00:00Z",
                Pick(random, ["yesterday", "2020-13-01T00:00:00Z", "0000-01-01T00:00:00Z", "", "1e10",
                "2099-01-01T00:00:00", "2020-01-01T00:00:00Z", "Now"]), StringComparison.Ordinal)),
            5 => Encoding.UTF8.GetBytes(valid.Replace("\"name\":\"Evil\"", Pick(random,
                ["\"name\":\"\\ud800\"", "\"name\":null", "\"name\":\"\"", "\"name\":1"]), StringComparison.Ordinal)),
            6 => Encoding.UTF8.GetBytes(valid.Replace("\"id\":\"a\"", Pick(random,
                ["\"id\":\"a/b\"", "\"id\":\"\"", "\"id\":\"\\u00e9\"", "\"id\":null"]), StringComparison.Ordinal)),
            _ => InvalidBody(random),
        };
    }

    private static string MissingReservation(Random random) => random.Next(5) switch
    {
        0 => $"{random.Next(100, 1000)}-{random.Next(1, 100)}",
        1 => $"0-{random.Next(1_000_000, int.MaxValue)}",
        2 => RandomAscii(random, random.Next(1, 30)).Replace("-", "", StringComparison.Ordinal) + "x",
        3 => Pick(random, ["-1-1", "0-", "-", "0--1", "1e3-1", "0x1-1", "99999999999999999999-1"]),
        _ => new string('9', random.Next(1, 60)) + "-x",
    };

    /// <summary>An Authorization value; the valid buyer token only when <paramref name="mayBeValid"/>.</summary>
    private static string RandomToken(Random random, string validToken, bool mayBeValid)
    {
        var parts = validToken.Split('.');
        return random.Next(mayBeValid ? 10 : 9) switch
        {
            0 => "",
            1 => "Bearer " + RandomAscii(random, random.Next(0, 300)),
            2 => $"Bearer {parts[0]}.{parts[1]}.{RandomAscii(random, 43)}",
            3 => $"Bearer {parts[0]}.{Convert.ToBase64String(RandomBytes(random, 40))}.{parts[2]}",
            4 => "Bearer " + Jws.Make("""{"alg":"none"}""", """{"sub":"fuzzer","exp":9999999999}""", null),
            5 => "Bearer " + validToken + RandomAscii(random, 2),
            6 => "Bearer " + new string('a', random.Next(2000, 9000)),
            7 => Pick(random,
                ["Basic Zm9vOmJhcg==", "Bearer", "Bearer  ", "Digest x", "bearer " + TestServer.AdminKeyValue]),
            8 => "Bearer " + Jws.Hs256($$"""{"sub":"fuzzer","exp":{{random.Next()}}}""",
                secret: "not-the-secret-not-the-secret-not-the-secret"),
            _ => "Bearer " + validToken,
        };
    }

    private static string RandomQuery(Random random) => random.Next(6) switch
    {
        0 => "?" + Uri.EscapeDataString(RandomUnicode(random, random.Next(1, 50))),
        1 => "?format=csv&format=jsonl&x=%00&y=%ZZ",
        2 => "?" + new string('q', random.Next(100, 3000)) + "=1",
        _ => "",
    };

    private static string RandomHeaderName(Random random) =>
        Pick(random, ["X-Forwarded-For", "X-Requested-With", "Accept", "Accept-Encoding", "Cookie", "Origin", "Range",
            "If-None-Match", "Expect", "X-Fuzz", "Accept-Charset", "Connection"]);

    private static string RandomHeaderValue(Random random) => random.Next(5) switch
    {
        0 => RandomAscii(random, random.Next(0, 100)),
        1 => "bytes=0-1,5-",
        2 => "application/xml;q=0.9, */*;q=0.1",
        3 => new string('v', random.Next(100, 5000)),
        _ => "127.0.0.1, ::1, not-an-ip",
    };

    /// <summary>
    /// Raw bytes on a socket: what HttpClient would never send. Returns the request and the status code, if any came.
    /// </summary>
    private static async Task<(string Request, int? Status)> SendRaw(Uri address, Random random, string validToken)
    {
        var target = $"/api/sales/{Pick(random, Sales)}/purchase";
        var host = $"Host: {address.Authority}\r\n";
        var request = random.Next(14) switch
        {
            0 => $"GET /../../../etc/passwd HTTP/1.1\r\n{host}\r\n",
            1 => $"GET /api/sales/{Open}/../../admin/sales HTTP/1.1\r\n{host}\r\n",
            2 => $"POST {target} HTTP/1.1\r\n{host}Content-Length: -1\r\n\r\n",
            3 => $"POST {target} HTTP/1.1\r\n{host}Content-Length: 99999999999999999999\r\n\r\n",
            4 => $"POST {target} HTTP/1.1\r\n{host}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            5 => $"POST {target} HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n",
            6 => $"GET / HTTP/1.1\r\n\r\n", // no Host
            7 => $"GET /\u00e9\u0000 HTTP/1.1\r\n{host}\r\n",
            8 => $"GET /healthz HTTP/9.9\r\n{host}\r\n",
            9 => $"{RandomAscii(random, random.Next(1, 200))}\r\n\r\n",
            10 => $"GET /{new string('a', 20_000)} HTTP/1.1\r\n{host}\r\n",
            11 => $"POST {target} HTTP/1.1\r\n{host}Authorization: Bearer junk\r\nX-Bad: a\rb\r\n\r\n",
            12 => $"POST /api/sales/fz-empty/purchase HTTP/1.1\r\n{host}Authorization: Bearer {validToken}\r\n" +
                "Content-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"itemId\":\"phone\"}",
            _ => $"GET /healthz HTTP/1.1\r\n{host}{RandomHeaderName(random)}: {RandomAscii(random, 30)}\r\n" +
                $"{new string(' ', random.Next(0, 3))}folded: x\r\n\r\n",
        };

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
            await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, timeout.Token);
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[512];
            var received = 0;
            while (received < 12)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, timeout.Token);
                if (n == 0) break;
                received += n;
            }

            var head = Encoding.Latin1.GetString(buffer, 0, received);
            return (request, StatusLine().Match(head) is { Success: true } m
                ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : null);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return (request, null);
        }
    }

    [GeneratedRegex(@"^HTTP/1\.[01] (\d{3})")]
    private static partial Regex StatusLine();

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static string RandomAscii(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)random.Next(0x21, 0x7f);
        return new string(chars);
    }

    private static string RandomUnicode(Random random, int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(5) switch
            {
                0 => char.ConvertFromUtf32(random.Next(0x1F600, 0x1F650)),
                1 => ((char)random.Next(0x4E00, 0x9FFF)).ToString(),
                2 => ((char)random.Next(0x20, 0x7F)).ToString(),
                3 => Pick(random, ["/", "\\", "..", "%", "?", "#", "\u202E", "\uFEFF", "\u0000"]),
                _ => ((char)random.Next(0xA0, 0x2FF)).ToString(),
            });
        }

        return text.ToString();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Describe(string? text) =>
        text is null ? "" : text.Length > 200 ? text[..200] + $"... ({text.Length} chars)" : text;

    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
