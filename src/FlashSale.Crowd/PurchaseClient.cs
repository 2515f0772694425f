using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FlashSale.Crowd;

/// <summary>
/// Sends purchase requests over one <see cref="HttpClient"/> with a <see cref="SocketsHttpHandler"/> holding at most
/// <c>connections</c> keep-alive HTTP/1.1 connections per server, and reduces each answer to a
/// <see cref="PurchaseAnswer"/> with one pass of a JSON reader over a pooled buffer. With several servers (gateways
/// of one cluster-mode deployment), each request names the one it goes to.
/// </summary>
internal sealed class PurchaseClient : IDisposable
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly HttpClient _http;
    private readonly Uri[] _purchase;
    private readonly byte[][] _bodyPrefixes;

    public PurchaseClient(IReadOnlyList<Uri> baseUrls, string saleId, IReadOnlyList<string> itemIds, int connections)
    {
        ArgumentNullException.ThrowIfNull(baseUrls);
        if (baseUrls.Count == 0) throw new ArgumentException("at least one server is needed", nameof(baseUrls));
        ArgumentNullException.ThrowIfNull(itemIds);
        _bodyPrefixes = new byte[itemIds.Count][];
        for (var i = 0; i < itemIds.Count; i++)
        {
            _bodyPrefixes[i] = Encoding.UTF8.GetBytes(
                "{\"itemId\":" + JsonSerializer.Serialize(itemIds[i], CrowdJson.Default.String) + ",\"requestId\":\"");
        }

        _http = new HttpClient(CreateHandler(connections), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _purchase = new Uri[baseUrls.Count];
        for (var i = 0; i < baseUrls.Count; i++)
        {
            _purchase[i] = new Uri(baseUrls[i], $"api/sales/{Uri.EscapeDataString(saleId)}/purchase");
        }
    }

    /// <summary>How many servers the requests are spread over.</summary>
    public int Servers => _purchase.Length;

    /// <summary>
    /// The handler of every crowd client: no proxy, cookies, redirects or decompression; HTTP/1.1 keep-alive.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(int connections) => new()
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// Opens up to <paramref name="count"/> connections before the sale starts (spread over the servers), as buyers
    /// waiting on the page would have.
    /// </summary>
    public async Task WarmUpAsync(int count, CancellationToken cancel)
    {
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var time = new Uri(_purchase[i % _purchase.Length], "/api/time");
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    using var response = await _http.GetAsync(time, cancel);
                }
                catch (HttpRequestException)
                {
                    // The run itself will count and show what fails; warming up is best effort.
                }
            }, cancel);
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>
    /// POSTs <c>{"itemId","requestId"}</c> with the buyer's bearer header to server <paramref name="server"/>, and
    /// reads the answer. A cancelled <paramref name="timeout"/> (the worker's watchdog) makes the answer a timeout
    /// error.
    /// </summary>
    public async Task<PurchaseAnswer> PurchaseAsync(
        int server, string bearer, int item, string requestId, CancellationToken timeout,
        string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _purchase[server])
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("Authorization", bearer);

        // The address the buyer would have behind the store's proxy (bots share a few: many accounts per IP).
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        var content = new ByteArrayContent(Body(_bodyPrefixes[item], requestId));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Content = content;

        byte[]? buffer = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout);
            var status = (int)response.StatusCode;
            buffer = ArrayPool<byte>.Shared.Rent(4096);
            var length = 0;
            await using (var body = await response.Content.ReadAsStreamAsync(timeout))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxBodyBytes)
                        {
                            return PurchaseAnswer.Failed(status, $"HTTP {status} with an over-long body");
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await body.ReadAsync(buffer.AsMemory(length), timeout);
                    if (read == 0) break;
                    length += read;
                }
            }

            var retryAfter = status is 429 or 503 ? RetryAfterOf(response) : TimeSpan.Zero;
            return Parse(status, buffer.AsSpan(0, length), retryAfter);
        }
        catch (OperationCanceledException)
        {
            return PurchaseAnswer.Failed(0, "timeout");
        }
        catch (HttpRequestException e)
        {
            return PurchaseAnswer.Failed(
                0,
                e.InnerException is SocketException socket
                    ? $"connection: {socket.SocketErrorCode}"
                    : $"connection: {e.HttpRequestError}");
        }
        catch (IOException)
        {
            return PurchaseAnswer.Failed(0, "connection: reset while reading");
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Reduces a status and body to an answer. The body's <c>outcome</c> decides; the status must agree with it.
    /// </summary>
    public static PurchaseAnswer Parse(int status, ReadOnlySpan<byte> body, TimeSpan retryAfter)
    {
        CrowdOutcome? outcome = null;
        string? reservationId = null, userId = null, itemId = null;
        long? etaMs = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("outcome"u8))
                    {
                        reader.Read();
                        outcome = reader.TokenType == JsonTokenType.String ? OutcomeOf(ref reader) : null;

                        // Admission's own refusals (blocked, banned, a refused grant) have their own words.
                        if (outcome is null && status == 403 && reader.TokenType == JsonTokenType.String)
                        {
                            outcome = CrowdOutcome.Blocked;
                        }
                    }
                    else if (reader.ValueTextEquals("etaMs"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var eta)) etaMs = eta;
                    }
                    else if (reader.ValueTextEquals("reservation"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }

                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("id"u8))
                            {
                                reservationId = ReadString(ref reader);
                            }
                            else if (reader.ValueTextEquals("userId"u8))
                            {
                                userId = ReadString(ref reader);
                            }
                            else if (reader.ValueTextEquals("itemId"u8))
                            {
                                itemId = ReadString(ref reader);
                            }
                            else
                            {
                                reader.Read();
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            return PurchaseAnswer.Failed(status, $"HTTP {status} with a body that is not JSON");
        }

        if (outcome is not { } known) return PurchaseAnswer.Failed(status, $"HTTP {status} without an outcome");
        if (status != StatusOf(known))
        {
            return PurchaseAnswer.Failed(status, $"HTTP {status} with outcome {known.Word()}");
        }

        if (known == CrowdOutcome.Won && (reservationId is null || userId is null || itemId is null))
        {
            return PurchaseAnswer.Failed(status, "won without a reservation");
        }

        // A place in the waiting room: come back when its turn is due, as the body says to the millisecond.
        if (known == CrowdOutcome.Waiting) retryAfter = TimeSpan.FromMilliseconds(Math.Max(1, etaMs ?? 1000));
        return new PurchaseAnswer(known, status, retryAfter, reservationId, userId, itemId, null);
    }

    private static int StatusOf(CrowdOutcome outcome) => outcome switch
    {
        CrowdOutcome.Won => 201,
        CrowdOutcome.SoldOut or CrowdOutcome.LimitReached => 409,
        CrowdOutcome.NotEligible => 403,
        CrowdOutcome.NotStarted => 425,
        CrowdOutcome.Ended => 410,
        CrowdOutcome.RateLimited => 429,
        CrowdOutcome.Busy => 503,
        CrowdOutcome.Waiting => 202,
        CrowdOutcome.Blocked => 403,
        _ => 0,
    };

    private static CrowdOutcome? OutcomeOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("won"u8)) return CrowdOutcome.Won;
        if (reader.ValueTextEquals("sold_out"u8)) return CrowdOutcome.SoldOut;
        if (reader.ValueTextEquals("limit_reached"u8)) return CrowdOutcome.LimitReached;
        if (reader.ValueTextEquals("not_eligible"u8)) return CrowdOutcome.NotEligible;
        if (reader.ValueTextEquals("not_started"u8)) return CrowdOutcome.NotStarted;
        if (reader.ValueTextEquals("ended"u8)) return CrowdOutcome.Ended;
        if (reader.ValueTextEquals("rate_limited"u8)) return CrowdOutcome.RateLimited;
        if (reader.ValueTextEquals("busy"u8)) return CrowdOutcome.Busy;
        if (reader.ValueTextEquals("waiting"u8)) return CrowdOutcome.Waiting;
        return null;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    private static TimeSpan RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta) return delta;
            // A date is read against the answer's own Date header: no dependence on our clock agreeing with the
            // server's.
            if (retry.Date is { } date && response.Headers.Date is { } sent)
            {
                return date - sent is { Ticks: > 0 } wait ? wait : TimeSpan.Zero;
            }
        }

        return TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// <c>{"itemId":"...","requestId":"..."}</c>: the item's prefix is encoded once; request ids are the crowd's own,
    /// plain ASCII.
    /// </summary>
    private static byte[] Body(byte[] prefix, string requestId)
    {
        var body = new byte[prefix.Length + requestId.Length + 2];
        prefix.CopyTo(body, 0);
        Encoding.ASCII.GetBytes(requestId, body.AsSpan(prefix.Length));
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        return body;
    }
}
