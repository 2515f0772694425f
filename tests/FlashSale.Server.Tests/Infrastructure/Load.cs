using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>
/// Buyers hammering one sale until told to stop or until the server goes away, remembering every <c>won</c> they were
/// told (user and reservation id): what a restarted server must still know.
/// </summary>
public sealed class Load : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly HttpClient _client;
    private int _answers;

    public Load(Uri address, string saleId, int workers, string buyerPrefix)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var tokens = new BuyerTokenMinter(TestServer.TokenSecret);
        var next = 0;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var user = $"{buyerPrefix}-{Interlocked.Increment(ref next)}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{saleId}/purchase")
                {
                    Content = new StringContent($$"""{"itemId":"phone","requestId":"{{user}}-1"}""",
                        System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                    tokens.Mint(user, DateTimeOffset.UtcNow.AddHours(1)));
                try
                {
                    // In-flight attempts run to their answer even when stopping: an answer thrown away would be a win
                    // not counted.
                    using var response = await _client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    Interlocked.Increment(ref _answers);
                    if (response.StatusCode == HttpStatusCode.Created)
                        Wins.Add((user, (string)JsonNode.Parse(body)!["reservation"]!["id"]!));
                    else Refusals.Add((int)response.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    // The server went away (or is going): what was not answered is not known, and that is allowed.
                    Errors.Add(e.GetType().Name);
                    if (!_stop.IsCancellationRequested) await Task.Delay(10);
                }
            }
        }))];
    }

    /// <summary>Every <c>won</c> answer received: (user, reservation id).</summary>
    public ConcurrentBag<(string User, string ReservationId)> Wins { get; } = [];

    /// <summary>Status codes of the other answers.</summary>
    public ConcurrentBag<int> Refusals { get; } = [];

    public ConcurrentBag<string> Errors { get; } = [];

    public int Answers => Volatile.Read(ref _answers);

    /// <summary>
    /// Starts no more attempts and waits for those in flight to be answered (or cut off by the server going away).
    /// </summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }
}
