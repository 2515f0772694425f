using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Redis;

// Sold-out flag propagation: gateway A sells the last unit of an item; how long until gateway B's local flag is set
// (B's AvailabilityChanged), over sharded pub/sub only (B's refresh is off). Two gateways = two stores with their own
// connections, in one process so that one clock times both. Standalone Redis and a 3-primary cluster, side by side.
// Usage: dotnet run -c Release --project bench/FlagPropagation -- [--trials N]
var trials = 500;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--trials": trials = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

Console.WriteLine($"{trials} sell-outs per deployment; times from A's reply (A's flag set, message published) "
    + "to B's flag set, and from A's purchase call to B's flag set");
Console.WriteLine("deployment   trials   reply->B p50   p99     max    | call->B p50   p99");
var servers = new List<(Process Process, string Directory)>();
try
{
    var standalone = StartRedis(servers, cluster: false);
    await Measure("standalone", standalone.EndPoint, trials);
    var nodes = new List<string>();
    for (var i = 0; i < 3; i++) nodes.Add(StartRedis(servers, cluster: true).EndPoint);
    Run("redis-cli", ["--cluster", "create", .. nodes, "--cluster-replicas", "0", "--cluster-yes"]);
    var deadline = Stopwatch.StartNew();
    while (!nodes.All(n => Run("redis-cli", ["-p", n.Split(':')[1], "CLUSTER", "INFO"]).Contains(
        "cluster_state:ok", StringComparison.Ordinal)))
    {
        if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("cluster not ok");
        await Task.Delay(50);
    }

    await Measure("cluster(3)", string.Join(',', nodes), trials);
    return 0;
}
finally
{
    foreach (var (process, directory) in servers)
    {
        process.Kill();
        process.WaitForExit();
        Directory.Delete(directory, recursive: true);
    }
}

static async Task Measure(string name, string configuration, int trials)
{
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
    var clock = TimeProvider.System;
#pragma warning restore RS0030
    var prefix = "flags" + Guid.NewGuid().ToString("N")[..8];
    RedisStoreOptions Options() => new()
    {
        Configuration = configuration,
        KeyPrefix = prefix,
        RefreshInterval = TimeSpan.Zero,
        ExpiryInterval = TimeSpan.Zero,
        BatchWindow = TimeSpan.Zero,
    };
    await using var a = await RedisSaleStore.ConnectAsync(Options(), clock);
    await using var b = await RedisSaleStore.ConnectAsync(Options(), clock);
    var seenOnA = new ConcurrentDictionary<(string, string), long>();
    var seenOnB = new ConcurrentDictionary<(string, string), long>();
    a.AvailabilityChanged += change =>
    {
        if (change.SoldOut) seenOnA.TryAdd((change.SaleId, change.ItemId), Stopwatch.GetTimestamp());
    };
    b.AvailabilityChanged += change =>
    {
        if (change.SoldOut) seenOnB.TryAdd((change.SaleId, change.ItemId), Stopwatch.GetTimestamp());
    };

    // Sales of 50 items of one unit each; on a cluster the sales fall in different slots, so on all nodes.
    const int ItemsPerSale = 50;
    var fromReply = new List<double>();
    var fromCall = new List<double>();
    for (var sale = 0; fromReply.Count < trials; sale++)
    {
        var saleId = $"s{sale}";
        var items = Enumerable.Range(0, ItemsPerSale).Select(i => new ItemDefinition("i" + i, "Item", 1m, 1)).ToList();
        await a.CreateSaleAsync(new SaleDefinition(saleId, "Flags", clock.GetUtcNow().AddSeconds(-1), null, 1000, 600,
            null, items));
        await b.FindSaleAsync(saleId);

        // B subscribes to the sale's flag channel when it learns of the sale; a first purchase on B makes sure the
        // subscription is in place before timing starts.
        await b.PurchaseAsync(saleId, "i0", "warmup");
        for (var i = 1; i < ItemsPerSale && fromReply.Count < trials; i++)
        {
            var key = (saleId, "i" + i);
            var call = Stopwatch.GetTimestamp();
            var decision = await a.PurchaseAsync(saleId, "i" + i, "buyer");
            if (decision.Outcome != Outcome.Won) throw new InvalidOperationException($"{decision.Outcome}");
            var waited = Stopwatch.StartNew();
            while (!seenOnB.ContainsKey(key))
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(5)) throw new TimeoutException($"B never saw {key}");
                await Task.Yield();
            }

            fromReply.Add(Stopwatch.GetElapsedTime(seenOnA[key], seenOnB[key]).TotalMilliseconds);
            fromCall.Add(Stopwatch.GetElapsedTime(call, seenOnB[key]).TotalMilliseconds);
        }
    }

    fromReply.Sort();
    fromCall.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-12} {fromReply.Count,6}   {Percentile(fromReply, 0.50),9:0.000} ms "
        + $"{Percentile(fromReply, 0.99),6:0.000}"
        + $" {fromReply[^1],7:0.000} | {Percentile(fromCall, 0.50),9:0.000} ms {Percentile(fromCall, 0.99),6:0.000}"));
}

static double Percentile(List<double> sorted, double p) =>
    sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static (string EndPoint, int Port) StartRedis(List<(Process, string)> servers, bool cluster)
{
    int port;
    do
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }
    while (cluster && port > 55_000);
    var directory = Path.Combine(Path.GetTempPath(), "flashsale-bench-flags-" + Guid.NewGuid().ToString("N")[..8]);
    Directory.CreateDirectory(directory);
    var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
        "--dir", directory, "--save", "", "--appendonly", "no", "--logfile", Path.Combine(directory, "redis.log"),
        .. cluster ? (string[])["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"] : []])
    {
        start.ArgumentList.Add(argument);
    }

    var server = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
    servers.Add((server, directory));
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

    return ($"127.0.0.1:{port}", port);
}

static string Run(string name, string[] arguments)
{
    var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{name} failed: {output}");
    return output;
}
