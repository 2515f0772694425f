using System.Collections.Concurrent;
using System.Net;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>
/// Many buyers at once over many connections: exactly the stock is sold, once per winner, and the export agrees.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_thousand_buyers_times_three_attempts_over_64_connections_win_exactly_the_300_units_once_each()
    {
        const int Buyers = 2000, Attempts = 3, Stock = 300;
        await using var server = await TestServer.StartAsync("--FlashSale:RateLimit:Enabled=false");
        await server.CreateOpenSaleAsync("rush", stock: Stock);
        using var client = server.NewClient(maxConnections: 64);
        var tokens = Enumerable.Range(0, Buyers).Select(b => server.TokenFor($"buyer-{b:D4}")).ToArray();

        // Every attempt in a fixed random order; half carry a requestId, half do not (both paths of the engine).
        var random = new Random(20260101);
        var attempts = Enumerable.Range(0, Buyers * Attempts)
            .Select(i => (Buyer: i % Buyers, Try: i / Buyers))
            .OrderBy(_ => random.Next())
            .ToArray();
        var queue = new ConcurrentQueue<(int Buyer, int Try)>(attempts);
        var wins = new ConcurrentBag<(string User, string ReservationId)>();
        var statuses = new ConcurrentDictionary<string, int>();

        var workers = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var attempt))
            {
                var user = $"buyer-{attempt.Buyer:D4}";
                var requestId = attempt.Try % 2 == 0 ? $"{user}-try-{attempt.Try}" : null;
                using var response = await server.PurchaseAsync("rush", tokens[attempt.Buyer], requestId: requestId,
                    client: client);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var reservation = await HttpAssert.Won(response, "rush", user);
                    wins.Add((user, (string)reservation["id"]!));
                    statuses.AddOrUpdate("won", 1, (_, n) => n + 1);
                }
                else
                {
                    var problem = await HttpAssert.Problem(response, 409);
                    statuses.AddOrUpdate((string)problem["outcome"]!, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(Stock, wins.Count);
        Assert.Equal(Stock, wins.Select(w => w.User).Distinct().Count());
        Assert.Equal(Buyers * Attempts, statuses.Values.Sum());
        Assert.Subset(new HashSet<string> { "won", "sold_out", "limit_reached" }, statuses.Keys.ToHashSet());

        var export = await server.ExportAsync("rush");
        Assert.Equal(Stock, export.Count);
        Assert.Equal(
            wins.Select(w => (w.User, w.ReservationId)).ToHashSet(),
            export.Select(r => ((string)r["userId"]!, (string)r["id"]!)).ToHashSet());
        Assert.All(export, r => Assert.Equal("held", (string?)r["status"]));

        var sale = await server.GetJsonAsync(server.Admin, "/admin/sales/rush");
        Assert.Equal("sold_out", (string?)sale["state"]);
        Assert.Equal(0, (int)sale["items"]![0]!["remaining"]!);
        Assert.Equal(Stock, (long)sale["stats"]!["won"]!);
        Assert.Empty(server.Logs.ErrorsAndWarnings());
    }
}
