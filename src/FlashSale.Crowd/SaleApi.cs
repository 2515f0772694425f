using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace FlashSale.Crowd;

/// <summary>
/// The crowd's control-plane calls, on their own small connection pool so that they never queue behind purchases:
/// the server's clock, the sale, and with the admin key the sale's stats and its reservations export.
/// </summary>
internal sealed class SaleApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _saleId;
    private readonly string? _adminKey;

    public SaleApi(Uri baseUrl, string saleId, string? adminKey)
    {
        _http = new HttpClient(PurchaseClient.CreateHandler(4), disposeHandler: true)
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _saleId = saleId;
        _adminKey = adminKey;
    }

    public Uri BaseUrl => _http.BaseAddress!;

    /// <summary>
    /// Samples <c>GET /api/time</c> a few times and keeps the sample with the shortest round trip (NTP's rule).
    /// </summary>
    public async Task<ClockOffset> MeasureClockAsync(TimeProvider time, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(time);
        ClockOffset? best = null;
        for (var i = 0; i < 7; i++)
        {
            var sent = time.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            using var document = await GetJsonAsync("api/time", admin: false, cancel);
            var roundTrip = Stopwatch.GetElapsedTime(started);
            var serverMs = document.RootElement.GetProperty("unixMs").GetInt64();
            var localMid = sent + roundTrip / 2;
            var offset = DateTimeOffset.FromUnixTimeMilliseconds(serverMs) - localMid;
            if (best is null || roundTrip < best.Value.RoundTrip) best = new ClockOffset(offset, roundTrip);
        }

        return best!.Value;
    }

    /// <summary><c>GET /api/sales/{id}</c>.</summary>
    public async Task<SaleInfo> GetSaleAsync(CancellationToken cancel)
    {
        using var document = await GetJsonAsync($"api/sales/{Uri.EscapeDataString(_saleId)}", admin: false, cancel);
        var root = document.RootElement;
        var items = new List<SaleItemInfo>();
        foreach (var item in root.GetProperty("items").EnumerateArray())
        {
            items.Add(new SaleItemInfo(
                item.GetProperty("id").GetString()!,
                item.GetProperty("name").GetString() ?? "",
                item.GetProperty("stock").GetInt32(),
                item.GetProperty("remaining").GetInt32()));
        }

        return new SaleInfo(
            root.GetProperty("id").GetString()!,
            root.GetProperty("name").GetString() ?? "",
            root.GetProperty("startsAt").GetDateTimeOffset(),
            root.GetProperty("state").GetString() ?? "",
            root.TryGetProperty("perUserLimit", out var limit) ? limit.GetInt32() : 1,
            items);
    }

    /// <summary>
    /// Units left over all items as the server says (it may lag a moment); null when the server did not answer in time.
    /// </summary>
    public async Task<long?> TryGetRemainingAsync(CancellationToken cancel)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var sale = await GetSaleAsync(timeout.Token);
            long remaining = 0;
            foreach (var item in sale.Items) remaining += item.Remaining;
            return remaining;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or CrowdSetupException
            or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary><c>GET /admin/sales/{id}</c>'s <c>stats</c>.</summary>
    public async Task<ServerStats> GetStatsAsync(CancellationToken cancel)
    {
        using var document = await GetJsonAsync($"admin/sales/{Uri.EscapeDataString(_saleId)}", admin: true, cancel);
        var stats = document.RootElement.GetProperty("stats");
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (stats.TryGetProperty("outcomes", out var counted) && counted.ValueKind == JsonValueKind.Object)
        {
            foreach (var outcome in counted.EnumerateObject()) outcomes[outcome.Name] = outcome.Value.GetInt64();
        }

        DateTimeOffset? soldOutAt =
            stats.TryGetProperty("soldOutAt", out var at) && at.ValueKind == JsonValueKind.String
                ? at.GetDateTimeOffset()
                : null;
        return new ServerStats(
            stats.GetProperty("attempts").GetInt64(), stats.GetProperty("won").GetInt64(), soldOutAt, outcomes);
    }

    /// <summary>
    /// Every reservation of the sale from <c>GET /admin/sales/{id}/reservations?format=jsonl</c>, read as a stream.
    /// </summary>
    public async Task<List<ExportedReservation>> ExportAsync(CancellationToken cancel)
    {
        using var request = Request(
            $"admin/sales/{Uri.EscapeDataString(_saleId)}/reservations?format=jsonl", admin: true);
        using var response = await SendAsync(request, cancel);
        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        using var lines = new StreamReader(stream);
        var reservations = new List<ExportedReservation>();
        var number = 0;
        while (await lines.ReadLineAsync(cancel) is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                reservations.Add(new ExportedReservation(
                    root.GetProperty("id").GetString()!,
                    root.GetProperty("userId").GetString()!,
                    root.GetProperty("itemId").GetString()!,
                    root.GetProperty("status").GetString()!));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CrowdSetupException($"the export's line {number} is not a reservation: {e.Message}", e);
            }
        }

        return reservations;
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(string path, bool admin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (admin)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Bearer", _adminKey ?? throw new CrowdSetupException("this needs the admin key (--admin-key)"));
        }

        return request;
    }

    private async Task<JsonDocument> GetJsonAsync(string path, bool admin, CancellationToken cancel)
    {
        using var request = Request(path, admin);
        using var response = await SendAsync(request, cancel);
        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        try
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancel);
        }
        catch (JsonException e)
        {
            throw new CrowdSetupException($"GET {path}: the answer is not JSON ({e.Message})", e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new CrowdSetupException($"cannot reach {new Uri(BaseUrl, request.RequestUri!)}: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode) return response;
        var status = response.StatusCode;
        response.Dispose();
        throw new CrowdSetupException(status switch
        {
            HttpStatusCode.NotFound
                when request.RequestUri!.OriginalString.Contains("sales/", StringComparison.Ordinal) =>
                $"no sale '{_saleId}' on {BaseUrl}",
            HttpStatusCode.Unauthorized => $"{request.RequestUri} answered 401: the admin key is wrong",
            _ => $"GET {request.RequestUri} answered {(int)status} {status}",
        });
    }
}
