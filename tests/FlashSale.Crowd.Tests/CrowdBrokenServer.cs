using System.Globalization;
using System.Text.Json;
using FlashSale.Server.Auth;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Crowd.Tests;

/// <summary>
/// A deliberately small stand-in for the FlashSale server, on Kestrel over loopback, that speaks the buyers' and admin
/// contract for one sale ("s", one item "item-1", limit 1) and can break it in one chosen way.
/// </summary>
internal sealed class CrowdBrokenServer : IAsyncDisposable
{
    public const string SaleId = "s";
    public const string ItemId = "item-1";

    private readonly Lock _gate = new();
    private readonly List<(string Id, string UserId)> _reservations = [];
    private readonly Dictionary<(string User, string Request), (int Status, string Body)> _answers = [];
    private readonly BuyerTokens _tokens = new(CrowdTestSupport.TokenSecret);
    private readonly CrowdFault _fault;
    private readonly int _stock;
    private readonly DateTimeOffset _startsAt = DateTimeOffset.UtcNow.AddSeconds(-1);
    private WebApplication _app = null!;

    private CrowdBrokenServer(CrowdFault fault, int stock)
    {
        _fault = fault;
        _stock = stock;
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<CrowdBrokenServer> StartAsync(CrowdFault fault, int stock)
    {
        var server = new CrowdBrokenServer(fault, stock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/api/time", () => Json(200,
            $$"""{"now":"{{DateTimeOffset.UtcNow:O}}","unixMs":""" +
            $$"""{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}} """ + "}"));
        app.MapGet($"/api/sales/{SaleId}", server.Sale);
        app.MapPost($"/api/sales/{SaleId}/purchase", (Func<HttpContext, Task<IResult>>)server.PurchaseAsync);
        app.MapGet($"/admin/sales/{SaleId}", () => Json(200,
            "{\"id\":\"" + SaleId + "\",\"stats\":{\"attempts\":0,\"won\":0,\"soldOutAt\":null,\"outcomes\":{}}}"));
        app.MapGet($"/admin/sales/{SaleId}/reservations", server.Export);
        await app.StartAsync();
        server._app = app;
        server.Url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Sale()
    {
        int remaining;
        lock (_gate) remaining = Math.Max(0, _stock - _reservations.Count);
        return Json(200,
            $$"""{"id":"{{SaleId}}","name":"Broken","startsAt":"{{_startsAt:O}}","endsAt":""" +
            """null,"state":"open","perUserLimit":1,"holdSeconds":60,"items":""" +
            $$"""[{"id":"{{ItemId}}","name":"Item","price":1,"stock":{{_stock}},"remaining":{{remaining}} """ +
            "}]}");
    }

    private async Task<IResult> PurchaseAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var user = header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? _tokens.UserOf(header.AsSpan(7), DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            : null;
        if (user is null) return Json(401, """{"title":"Unauthorized"}""");
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var requestId = body.RootElement.GetProperty("requestId").GetString()!;
        lock (_gate)
        {
            if (_answers.TryGetValue((user, requestId), out var repeated)) return Json(repeated.Status, repeated.Body);
            var holds = _reservations.Count(r => r.UserId == user);
            (int, string) answer;
            if (holds >= 1 && _fault != CrowdFault.WonTwice)
            {
                answer = (409, """{"outcome":"limit_reached"}""");
            }
            else if (_reservations.Count >= _stock && _fault != CrowdFault.Oversell)
            {
                answer = (409, """{"outcome":"sold_out"}""");
            }
            else
            {
                var id = "r-" + (_reservations.Count + 1).ToString(CultureInfo.InvariantCulture);
                _reservations.Add((id, user));
                answer = (201, """{"outcome":"won","reservation":""" + Reservation(id, user) + "}");
            }

            _answers[(user, requestId)] = answer;
            return Json(answer.Item1, answer.Item2);
        }
    }

    private IResult Export()
    {
        var lines = new System.Text.StringBuilder();
        lock (_gate)
        {
            foreach (var (id, user) in _reservations)
            {
                if (_fault == CrowdFault.DropWinnerFromExport && id == "r-1") continue;
                lines.Append(Reservation(id, user)).Append('\n');
            }
        }

        return Results.Text(lines.ToString(), "application/x-ndjson");
    }

    private static string Reservation(string id, string user) =>
        $$"""{"id":"{{id}}","saleId":"{{SaleId}}","itemId":"{{ItemId}}","userId":"{{user}}","quantity":""" +
        """1,"createdAt":"2030-01-01T00:00:00+00:00","holdUntil":"2030-01-01T00:01:00+00:00","status":"held"}""";

    private static IResult Json(int status, string body) => Results.Text(body, "application/json", statusCode: status);
}
