using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Redis;
using StackExchange.Redis;

// Batched decide script against the textbook one-EVALSHA-per-request script, on the same Redis, side by side:
// decisions per Redis CPU-second (INFO CPU before/after) and decisions per round trip (script calls).
// Usage: dotnet run -c Release --project bench/RedisBatching -- [--redis HOST:PORT] [--attempts N] [--rounds N]
var attempts = 40_000;
var rounds = 2;
var concurrency = 512;
var only = "";
string? configuration = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--redis": configuration = args[i + 1]; break;
        case "--attempts": attempts = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--only": only = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

Process? server = null;
string? directory = null;
if (configuration is null)
{
    (server, directory, configuration) = StartRedis();
}

try
{
    using var admin = await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true");
    var endPoint = admin.GetEndPoints()[0];
    Console.WriteLine(
        $"redis {admin.GetServer(endPoint).Version} at {endPoint}; {attempts} attempts per case, "
        + $"{concurrency} buyers at once");
    Console.WriteLine(
        "case                  mode       decisions/Redis-CPU-s  decisions/call  calls   Redis CPU ms  wall ms");
    var ratios = new List<(string Case, double Cpu)>();
    for (var round = 0; round < rounds; round++)
    {
        foreach (var scenario in (string[])["won", "sold_out+requestId"])
        {
            if (only.Length > 0)
            {
                if (only.StartsWith(scenario, StringComparison.Ordinal))
                {
                    await Run(admin, configuration, scenario,
                    only.EndsWith("batched", StringComparison.Ordinal), attempts, concurrency);
                }

                continue;
            }

            var textbook = await Run(admin, configuration, scenario, batched: false, attempts, concurrency);
            var batched = await Run(admin, configuration, scenario, batched: true, attempts, concurrency);
            ratios.Add((scenario, batched / textbook));
        }
    }

    foreach (var group in ratios.GroupBy(r => r.Case))
    {
        Console.WriteLine($"ratio batched/textbook, decisions per Redis CPU-second, {group.Key}: " +
            string.Join(", ", group.Select(r => r.Cpu.ToString("0.0x", CultureInfo.InvariantCulture))));
    }

    return 0;
}
finally
{
    if (server is not null)
    {
        server.Kill();
        server.WaitForExit();
        Directory.Delete(directory!, recursive: true);
    }
}

static async Task<double> Run(ConnectionMultiplexer admin, string configuration, string scenario, bool batched,
    int attempts, int concurrency)
{
    var options = new RedisStoreOptions
    {
        Configuration = configuration,
        KeyPrefix = "bench" + Guid.NewGuid().ToString("N")[..8],
        RefreshInterval = TimeSpan.Zero,
        ExpiryInterval = TimeSpan.Zero,
        MaxBatchSize = batched ? 256 : 1,
        BatchWindow = batched ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero,
        MaxBatchesInFlight = batched ? 2 : concurrency,
        QueueCapacity = attempts,
    };
    await using var store = await RedisSaleStore.ConnectAsync(options);
    var saleId = "bench";
    var soldOut = scenario != "won";
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
    var startsAt = TimeProvider.System.GetUtcNow().AddMinutes(-1);
#pragma warning restore RS0030
    await store.CreateSaleAsync(new SaleDefinition(saleId, "Bench", startsAt,
        null, 1, 600, null,
        [new ItemDefinition("a", "A", 1m, soldOut ? 0 : attempts)]));
    var server = admin.GetServer(admin.GetEndPoints()[0]);
    var cpuBefore = await RedisCpuSeconds(server);
    var clock = Stopwatch.StartNew();
    var next = -1;
    var wrong = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < attempts)
        {
            var decision = await store.PurchaseAsync(saleId, "a", "buyer" + n, "r" + n);
            if (decision.Outcome != (soldOut ? Outcome.SoldOut : Outcome.Won)) Interlocked.Increment(ref wrong);
        }
    })));
    var wall = clock.Elapsed;
    var cpu = await RedisCpuSeconds(server) - cpuBefore;
    if (wrong > 0) throw new InvalidOperationException($"{wrong} unexpected outcomes");
    var perCpu = attempts / cpu;
    var perCall = (double)store.BatchedAttempts / store.Batches;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{scenario,-21} {(batched ? "batched" : "textbook"),-10} {perCpu,21:N0}  {perCall,14:0.0}  "
        + $"{store.Batches,6}  {cpu * 1000,12:N0}  {wall.TotalMilliseconds,7:N0}"));
    return perCpu;
}

static async Task<double> RedisCpuSeconds(IServer server)
{
    var info = await server.InfoAsync("cpu");
    double total = 0;
    foreach (var group in info)
    {
        foreach (var entry in group)
        {
            if (entry.Key is "used_cpu_user" or "used_cpu_sys")
            {
                total += double.Parse(entry.Value,
                CultureInfo.InvariantCulture);
            }
        }
    }

    return total;
}

static (Process Server, string Directory, string Configuration) StartRedis()
{
    using var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    var port = ((IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
    var directory = Path.Combine(Path.GetTempPath(), "flashsale-bench-redis-" + Guid.NewGuid().ToString("N")[..8]);
    Directory.CreateDirectory(directory);
    var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
        "--dir", directory,
        "--save", "", "--appendonly", "no", "--logfile", Path.Combine(directory, "redis.log")])
    {
        start.ArgumentList.Add(argument);
    }

    var server = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            break;
        }
        catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }
    }

    return (server, directory, $"127.0.0.1:{port}");
}
