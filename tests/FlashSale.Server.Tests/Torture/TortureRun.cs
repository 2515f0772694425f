using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Torture;

/// <summary>
/// The torture of issue 10: cycles of a crowd buying from the real <c>flashsale</c> process, a SIGKILL at a random
/// moment, a restart on the same data directory, and a verification of the cycle's sale through the API: every
/// acknowledged win in the export (same buyer, same item), no moment with more live holds than stock, no buyer with
/// more live holds than the limit, and every reservation the kill kept from its buyer expiring with its unit back.
/// </summary>
public sealed class TortureRun(string workDirectory, string dataDirectory, int seed, Action<string> log)
{
    public const int Stock = 25;
    public const int PerUserLimit = 2;
    public const int HoldSeconds = 2;
    public const int Buyers = 60;
    public const int Workers = 16;

    private readonly Random _random = new(seed);
    private readonly BuyerTokenMinter _minter = new(TestServer.TokenSecret);

    public async Task<TortureTally> RunAsync(int cycles)
    {
        var tally = new TortureTally();
        Dictionary<string, (string User, string Item)>? previous = null;
        for (var cycle = 0; cycle <= cycles; cycle++)
        {
            await using var server = ServerProcess.Serve(workDirectory, dataDirectory,
                "--FlashSale:RateLimit:Enabled=false", "--FlashSale:Engine:ShardCount=2",
                "--FlashSale:Engine:ExpiryInterval=00:00:00.250");
            var address = await server.WaitReadyAsync(TimeSpan.FromSeconds(90));
            using var admin = Client(address);
            admin.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", TestServer.AdminKeyValue);
            if (previous is not null) await VerifyAsync(admin, $"t{cycle - 1}", previous, tally);
            if (cycle == cycles)
            {
                server.Terminate();
                Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                break;
            }

            var sale = $"t{cycle}";
            using (var created = await admin.PostAsJsonAsync("/admin/sales", new
            {
                id = sale,
                name = "Torture " + sale,
                startsAt = "now",
                perUserLimit = PerUserLimit,
                holdSeconds = HoldSeconds,
                items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = Stock } },
            }))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            previous = await CrowdUntilKilledAsync(server, address, sale, tally);
            tally.Cycles++;
        }

        log(tally.ToString());
        return tally;
    }

    private static HttpClient Client(Uri address) => new(new SocketsHttpHandler { MaxConnectionsPerServer = Workers })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private async Task<Dictionary<string, (string User, string Item)>> CrowdUntilKilledAsync(
        ServerProcess server, Uri address, string sale, TortureTally tally)
    {
        var acknowledged = new Dictionary<string, (string User, string Item)>();
        var gate = new Lock();
        long attempts = 0;
        using var client = Client(address);
        using var stop = new CancellationTokenSource();
        var tokens = Enumerable.Range(0, Buyers)
            .Select(i => _minter.Mint($"buyer-{i:D3}", DateTimeOffset.UtcNow.AddHours(1))).ToArray();
        var seeds = Enumerable.Range(0, Workers).Select(_ => _random.Next()).ToArray();
        var killAfter = _random.Next(50, 1500);
        tally.KillAfterMs.Add(killAfter);
        var workers = seeds.Select((workerSeed, worker) => Task.Run(async () =>
        {
            var random = new Random(workerSeed);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var buyer = random.Next(Buyers);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
                {
                    Content = new StringContent($$"""{"itemId":"phone","requestId":"w{{worker}}-{{n}}"}""",
                        Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[buyer]);
                try
                {
                    Interlocked.Increment(ref attempts);
                    using var response = await client.SendAsync(request, stop.Token);
                    var body = await response.Content.ReadAsStringAsync(stop.Token);
                    if (response.StatusCode != HttpStatusCode.Created) continue;
                    var reservation = JsonNode.Parse(body)!["reservation"]!;
                    lock (gate)
                    {
                        acknowledged[(string)reservation["id"]!] =
                            ((string)reservation["userId"]!, (string)reservation["itemId"]!);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException
                    or System.Net.Sockets.SocketException)
                {
                    // The kill: whatever was in flight was never acknowledged.
                    if (server.HasExited || stop.IsCancellationRequested) return;
                }
            }
        })).ToArray();
        await Task.Delay(killAfter);
        server.Kill();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        tally.Attempts += Interlocked.Read(ref attempts);
        lock (gate)
        {
            tally.AcknowledgedWins += acknowledged.Count;
            return new Dictionary<string, (string User, string Item)>(acknowledged);
        }
    }

    private async Task VerifyAsync(HttpClient admin, string sale,
        Dictionary<string, (string User, string Item)> acknowledged, TortureTally tally)
    {
        var export = await ExportAsync(admin, sale);
        tally.Reservations += export.Count;
        var byId = export.ToDictionary(r => (string)r["id"]!);
        foreach (var (id, (user, item)) in acknowledged)
        {
            if (!byId.TryGetValue(id, out var found) || (string)found["userId"]! != user ||
                (string)found["itemId"]! != item)
            {
                tally.AcknowledgedLost++;
                log($"{sale}: acknowledged win {id} of {user} is not in the export");
            }
        }

        // Holds are live on [createdAt, holdUntil); a unit comes back only when its hold expires, at or after
        // holdUntil, so at no instant may more of these intervals overlap than there is stock (or, per buyer, limit).
        var oversold = MaxOverlap(export) - Stock;
        if (oversold > 0)
        {
            tally.Oversold += oversold;
            log($"{sale}: {oversold} more live holds than stock at one moment");
        }

        foreach (var buyer in export.GroupBy(r => (string)r["userId"]!))
        {
            if (MaxOverlap([.. buyer]) > PerUserLimit)
            {
                tally.OverLimit++;
                log($"{sale}: {buyer.Key} held more than {PerUserLimit} at once");
            }
        }

        var unheard = export.Where(r => !acknowledged.ContainsKey((string)r["id"]!)).Select(r => (string)r["id"]!)
            .ToHashSet();
        tally.Unheard += unheard.Count;

        // Nobody confirms: every hold, heard or not, expires, and the sale's units are all back on sale.
        await Eventually.True($"{sale}: every hold expired and every unit back on sale", async () =>
        {
            var now = await ExportAsync(admin, sale);
            var saleView = JsonNode.Parse(await admin.GetStringAsync($"/admin/sales/{sale}"))!;
            return now.All(r => (string)r["status"]! == "expired") &&
                (int)saleView["items"]![0]!["remaining"]! == Stock;
        }, TimeSpan.FromSeconds(HoldSeconds + 20));
        tally.UnheardExpired += unheard.Count;
    }

    private static int MaxOverlap(List<JsonObject> reservations)
    {
        var events = new List<(DateTimeOffset At, int Delta)>(reservations.Count * 2);
        foreach (var r in reservations)
        {
            events.Add((DateTimeOffset.Parse((string)r["createdAt"]!, CultureInfo.InvariantCulture), 1));
            events.Add((DateTimeOffset.Parse((string)r["holdUntil"]!, CultureInfo.InvariantCulture), -1));
        }

        // Ends before starts at the same instant: a unit freed at t may be held again from t.
        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Delta.CompareTo(b.Delta));
        int live = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            live += delta;
            max = Math.Max(max, live);
        }

        return max;
    }

    private static async Task<List<JsonObject>> ExportAsync(HttpClient admin, string sale)
    {
        var text = await admin.GetStringAsync($"/admin/sales/{sale}/reservations?format=jsonl");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }
}
