using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Server.Tests.Hosting;

/// <summary>
/// The real executable, stopped the hard way (SIGKILL) and the polite way (SIGTERM) in the middle of a load, then
/// started again on the same data directory: every <c>won</c> a buyer was told is still there, nothing is oversold,
/// and the sale goes on.
/// </summary>
public sealed class ProcessLifecycleTests(ITestOutputHelper output) : IDisposable
{
    private const int Stock = 1000;
    private readonly string _work = TempDirectory.Create("fs-lifecycle");

    private string Data => Path.Combine(_work, "data");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task After_SIGKILL_mid_load_a_restart_keeps_every_won_answered_oversells_nothing_and_sells_on()
    {
        Load load;
        await using (var server = ServerProcess.Serve(_work, Data, "--FlashSale:RateLimit:Enabled=false"))
        {
            var address = await server.WaitReadyAsync();
            await CreateSale(address);
            load = new Load(address, "restart", workers: 32, buyerPrefix: "before");
            await Eventually.True("300 buyers have won", () => Task.FromResult(load.Wins.Count >= 300),
                TimeSpan.FromSeconds(60));

            server.Kill();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await load.DisposeAsync();
        }

        output.WriteLine(
            $"before the kill: {load.Wins.Count} won, {load.Refusals.Count} refused, {load.Errors.Count} cut off");
        await RestartAndCheck(load);
    }

    [Fact]
    public async Task SIGTERM_mid_load_exits_0_after_answering_and_a_restart_keeps_every_won_answered()
    {
        Load load;
        await using (var server = ServerProcess.Serve(_work, Data, "--FlashSale:RateLimit:Enabled=false"))
        {
            var address = await server.WaitReadyAsync();
            await CreateSale(address);
            load = new Load(address, "restart", workers: 32, buyerPrefix: "before");
            await Eventually.True("300 buyers have won", () => Task.FromResult(load.Wins.Count >= 300),
                TimeSpan.FromSeconds(60));

            server.Terminate();
            var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var answeredBeforeStop = load.Answers;
            await load.DisposeAsync();
            output.WriteLine(server.Output);
            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{server.Output}");
            Assert.Contains("Engine stopped: every queued decision made, journals flushed and closed", server.Output,
                StringComparison.Ordinal);
            Assert.True(answeredBeforeStop >= load.Wins.Count);
        }

        output.WriteLine(
            $"before SIGTERM ended the process: {load.Wins.Count} won, {load.Refusals.Count} refused, " +
            $"{load.Errors.Count} cut off");
        await RestartAndCheck(load);
    }

    [Fact]
    public async Task SIGTERM_with_a_request_stuck_mid_body_waits_up_to_the_shutdown_timeout_then_exits_0_cleanly()
    {
        // Before the fix, System.CommandLine gave the action 2 s after SIGTERM and then exited 143, engine not stopped.
        await using var server = ServerProcess.Serve(_work, Data,
            new Dictionary<string, string> { ["ShutdownTimeoutSeconds"] = "4" });
        var address = await server.WaitReadyAsync();
        await CreateSale(address);
        using var stuck = new System.Net.Sockets.TcpClient();
        await stuck.ConnectAsync(address.Host, address.Port);
        var token = new FlashSale.Crowd.Tokens.BuyerTokenMinter(TestServer.TokenSecret).Mint("slow",
            DateTimeOffset.UtcNow.AddHours(1));
        await stuck.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /api/sales/restart/purchase HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"item"));

        // Kestrel accepts connections in order: once a later one is answered, the stuck one is in. Then SIGTERM.
        using (var client = new HttpClient { BaseAddress = address })
            Assert.Equal("ok", (string?)JsonNode.Parse(await client.GetStringAsync("/healthz"))!["status"]);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"exited {exitCode} after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{server.Output}");
        Assert.Contains("Engine stopped: every queued decision made, journals flushed and closed", server.Output,
            StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed > TimeSpan.FromSeconds(3), "shutdown waited for the request in flight");
    }

    private static async Task CreateSale(Uri address)
    {
        using var admin = AdminClient(address);
        using var created = await admin.PostAsJsonAsync("/admin/sales", new
        {
            id = "restart",
            name = "Restart",
            startsAt = "now",
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = Stock } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private async Task RestartAndCheck(Load before)
    {
        await using var server = ServerProcess.Serve(_work, Data, "--FlashSale:RateLimit:Enabled=false");
        var address = await server.WaitReadyAsync();
        using var admin = AdminClient(address);

        // Every won answered is in the export, as answered; the journal may hold more (decided, not yet answered).
        var export = await Export(admin);
        var exported = export.ToDictionary(r => (string)r["id"]!, r => (string)r["userId"]!);
        foreach (var (user, reservationId) in before.Wins)
        {
            Assert.True(exported.TryGetValue(reservationId, out var owner),
                $"won {reservationId} for {user} is missing after restart");
            Assert.Equal(user, owner);
        }

        Assert.InRange(export.Count, before.Wins.Count, Stock);
        Assert.Equal(export.Count, export.Select(r => (string)r["userId"]!).Distinct().Count());
        var sale = JsonNode.Parse(await admin.GetStringAsync("/admin/sales/restart"))!;
        Assert.Equal(Stock - export.Count, (int)sale["items"]![0]!["remaining"]!);

        // The sale goes on, to exactly its stock.
        await using (var after = new Load(address, "restart", workers: 16, buyerPrefix: "after"))
        {
            await Eventually.True("the sale sells out", async () =>
                (string?)JsonNode.Parse(await admin.GetStringAsync("/admin/sales/restart"))!["state"] == "sold_out",
                    TimeSpan.FromSeconds(60));
            await after.StopAsync();
            Assert.Equal(Stock - export.Count, after.Wins.Count);
        }

        var final = await Export(admin);
        Assert.Equal(Stock, final.Count);
        Assert.Equal(Stock, final.Select(r => (string)r["userId"]!).Distinct().Count());
        Assert.Equal(Stock, final.Select(r => (string)r["id"]!).Distinct().Count());
    }

    private static async Task<List<JsonObject>> Export(HttpClient admin)
    {
        var text = await admin.GetStringAsync("/admin/sales/restart/reservations?format=jsonl");
        return [.. text.Split('\n',
            StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    private static HttpClient AdminClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminKeyValue);
        return client;
    }
}
