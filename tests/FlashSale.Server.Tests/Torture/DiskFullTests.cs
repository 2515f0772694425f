using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Torture;

/// <summary>
/// A full disk during a sale: the data directory is a 384 KiB tmpfs (mounting needs root; a failed mount fails the
/// test). The server fails stop: purchases answer 503 saying the store cannot write, /healthz fails, no acknowledged
/// win is lost; once there is room, a restart recovers cleanly.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private readonly string _work = TempDirectory.Create("fs-diskfull");
    private string Data => Path.Combine(_work, "data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Data);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=384k", "flashsale-diskfull", Data);
    }

    public async Task DisposeAsync()
    {
        await RunAsync("umount", "-l", Data);
        TempDirectory.Delete(_work);
    }

    [Fact]
    public async Task A_full_disk_fails_stop_with_503_store_cannot_write_and_a_restart_with_room_recovers_every_win()
    {
        var acknowledged = new Dictionary<string, string>();
        string[] config = ["--FlashSale:RateLimit:Enabled=false", "--FlashSale:Engine:ShardCount=2"];
        JsonNode? refusal = null;
        await using (var server = ServerProcess.Serve(_work, Data, config))
        {
            var address = await server.WaitReadyAsync(TimeSpan.FromSeconds(90));
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", TestServer.AdminKeyValue);
            using (var created = await client.PostAsJsonAsync("/admin/sales", new
            {
                id = "full",
                name = "Full disk",
                startsAt = "now",
                perUserLimit = 1_000_000,
                items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1_000_000 } },
            }))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // Eight buyers buy until the disk is full and the store says it cannot write.
            var minter = new BuyerTokenMinter(TestServer.TokenSecret);
            var gate = new Lock();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                var token = minter.Mint($"filler-{w}", DateTimeOffset.UtcNow.AddHours(1));
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sales/full/purchase")
                    {
                        Content = new StringContent($$"""{"itemId":"phone","requestId":"{{w}}-{{n}}"}""",
                            Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await client.SendAsync(request, CancellationToken.None);
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        lock (gate) acknowledged[(string)body["reservation"]!["id"]!] = $"filler-{w}";
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.Equal("busy", (string)body["outcome"]!);
                        Assert.NotNull(response.Headers.RetryAfter);
                        lock (gate) refusal ??= body;
                        await stop.CancelAsync();
                    }
                    else
                    {
                        Assert.Fail($"{(int)response.StatusCode} {body}");
                    }
                }
            })).ToArray();
            await Task.WhenAll(workers);
            Assert.NotNull(refusal);
            Assert.Contains("cannot write", (string)refusal!["detail"]!, StringComparison.Ordinal);
            Assert.True(acknowledged.Count > 0, "nothing was won before the disk filled up");

            // Fail-stop: every later purchase is refused the same way, and the probe fails.
            using (var health = await client.GetAsync("/healthz"))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            using (var late = await TestServer.Purchase(client, "full",
                minter.Mint("late", DateTimeOffset.UtcNow.AddHours(1)), requestId: "late-1"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
                Assert.Contains("cannot write", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // Room again; recovery is a restart (documented in docs/OPERATIONS.md).
            await RunAsync("mount", "-o", "remount,size=64m", Data);
            server.Terminate();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        await using var restarted = ServerProcess.Serve(_work, Data, config);
        var again = await restarted.WaitReadyAsync(TimeSpan.FromSeconds(90));
        using var admin = new HttpClient { BaseAddress = again, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminKeyValue);
        var export = (await admin.GetStringAsync("/admin/sales/full/reservations?format=jsonl"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .ToDictionary(r => (string)r["id"]!, r => (string)r["userId"]!);
        foreach (var (id, user) in acknowledged)
        {
            Assert.True(export.TryGetValue(id, out var found) && found == user, $"acknowledged win {id} lost");
        }

        using var buy = await TestServer.Purchase(admin, "full",
            new BuyerTokenMinter(TestServer.TokenSecret).Mint("after", DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(HttpStatusCode.Created, buy.StatusCode);
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0,
            $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output} (this test needs root)");
    }
}
