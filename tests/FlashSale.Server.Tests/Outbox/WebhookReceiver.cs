using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FlashSale.Server.Outbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashSale.Server.Tests.Outbox;

/// <summary>
/// The main store's side of the webhook, as a store would write it: a tiny Kestrel app on a loopback port the OS
/// picks, which checks every POST's signature, refuses the first <see cref="FailNext"/> deliveries with a 500 (or
/// all of them while <see cref="Refusing"/>), and keeps what it accepted by reservation id (the idempotency key).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "test-webhook-secret-0123456789abcdefghij";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deliveries = new();
    private int _failNext;
    private int _refused;
    private int _badSignatures;
    private int _mismatches;
    private int _duplicates;

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Deliveries still to refuse with a 500.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>While true every delivery is refused with a 500.</summary>
    public bool Refusing { get; set; }

    /// <summary>Accepted reservations by id (the JSON as first received).</summary>
    public IReadOnlyDictionary<string, string> Accepted => _accepted;

    /// <summary>Every accepted reservation id, in arrival order, repeats included.</summary>
    public IReadOnlyCollection<string> Deliveries => _deliveries;

    public int Refused => Volatile.Read(ref _refused);

    public int BadSignatures => Volatile.Read(ref _badSignatures);

    /// <summary>Reservations delivered again with different content under the same id (must stay 0).</summary>
    public int Mismatches => Volatile.Read(ref _mismatches);

    /// <summary>Reservations delivered more than once.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>The largest batch accepted.</summary>
    public int LargestBatch { get; private set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", (Delegate)receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!WebhookSignature.Verify(Secret, context.Request.Headers[WebhookSignature.Header], body,
                DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.StatusCode(401);
        }

        if (Refusing || Interlocked.Decrement(ref _failNext) >= 0)
        {
            Interlocked.Increment(ref _refused);
            return Results.StatusCode(500);
        }

        var batch = JsonNode.Parse(body)!.AsObject();
        var reservations = batch["reservations"]!.AsArray();
        LargestBatch = Math.Max(LargestBatch, reservations.Count);
        foreach (var reservation in reservations)
        {
            var id = (string)reservation!["id"]!;
            var json = reservation.ToJsonString();
            if (!_accepted.TryAdd(id, json))
            {
                Interlocked.Increment(ref _duplicates);
                if (_accepted[id] != json) Interlocked.Increment(ref _mismatches);
            }

            _deliveries.Enqueue(id);
        }

        return Results.Ok();
    }
}
