using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using FlashSale.Benchmarks.Support;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Engine;

namespace FlashSale.Benchmarks.Memory;

/// <summary>
/// <c>memory [--attempts N] [--shards N]</c>: what the engine keeps per reservation and per remembered answer, and
/// whether the heap stays flat while a sold-out sale takes N attempts. Drives the engine in this process (no HTTP),
/// samples the live heap after a full collection, prints every sample.
/// </summary>
internal static class HeapRun
{
    private const int Stock = 10_000;
    private const int Remembered = 1_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var attempts = Option(args, "--attempts", 10_000_000);
        var shards = Option(args, "--shards", 2);
        var clock = new SettableClock(BenchClock.Time);
        var directory = Directory.CreateTempSubdirectory("flashsale-memory-");
        try
        {
            var options = new EngineOptions
            {
                DataDirectory = directory.FullName,
                ShardCount = shards,
                ExpiryInterval = TimeSpan.FromMilliseconds(100),
                RememberFor = TimeSpan.FromHours(24),
            };
            await using var engine = FlashSaleEngine.Open(options, clock);
            var now = clock.GetUtcNow();
            var definition = Sales.OneItem("mem", Stock) with { StartsAt = now, EndsAt = now.AddHours(1) };
            await engine.CreateSaleAsync(definition);
            Console.WriteLine($"memory: {shards} shards, {Stock:N0} units, {attempts:N0} attempts after the sell-out, "
                + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");

            var baseline = LiveHeap();
            Sample("baseline (engine open, sale created)", baseline, 0);

            // Winners: one reservation each, with its requestId.
            for (var i = 0; i < Stock; i++)
            {
                Expect(await engine.PurchaseAsync("mem", "phone", Winner(i), "w"), Outcome.Won);
            }

            var afterWins = LiveHeap();
            Sample($"{Stock:N0} reservations", afterWins, afterWins - baseline, Stock);

            // Latecomers with a fresh requestId each: sold_out, answered from memory and remembered.
            for (var i = 0; i < Remembered; i++)
            {
                Expect(await engine.PurchaseAsync("mem", "phone", Late(i), "r1"), Outcome.SoldOut);
            }

            var afterAnswers = LiveHeap();
            Sample($"{Remembered:N0} remembered sold_out", afterAnswers, afterAnswers - afterWins, Remembered);

            // The flood after the sell-out: latecomers without a requestId, repeats of remembered requestIds, and
            // winners trying again (limit_reached) with the requestId they already used for it.
            Console.WriteLine($"{attempts:N0} attempts: no requestId / repeats / winners' repeats, heap every 10%");
            var started = Stopwatch.GetTimestamp();
            var step = Math.Max(1, attempts / 10);
            for (var n = 0; n < attempts; n++)
            {
                var decision = (n % 3) switch
                {
                    0 => await engine.PurchaseAsync("mem", "phone", Late(n % Remembered)),
                    1 => await engine.PurchaseAsync("mem", "phone", Late(n % Remembered), "r1"),
                    _ => await engine.PurchaseAsync("mem", "phone", Winner(n % Stock), "again"),
                };
                if (decision.Outcome is not (Outcome.SoldOut or Outcome.LimitReached))
                {
                    throw new InvalidOperationException($"attempt {n}: {decision.Outcome}");
                }

                if ((n + 1) % step == 0) Sample($"after {n + 1:N0}", LiveHeap(), LiveHeap() - afterAnswers);
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine($"  {attempts / seconds:N0} attempts/s on one thread");

            // Fresh requestIds grow the answers (the contract's price); the retention bounds them.
            for (var i = 0; i < Remembered; i++)
            {
                Expect(await engine.PurchaseAsync("mem", "phone", Late(i), "r2"), Outcome.SoldOut);
            }

            Sample($"{Remembered:N0} more fresh requestIds", LiveHeap(), LiveHeap() - afterAnswers, Remembered);
            clock.Advance(TimeSpan.FromHours(1) + options.RememberFor + TimeSpan.FromSeconds(1));
            await WaitForDropAsync(engine);
            var dropped = LiveHeap();
            Sample("sale ended + retention passed", dropped, dropped - baseline);
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Winner(int i) => string.Create(CultureInfo.InvariantCulture, $"winner-{i:D7}");

    private static string Late(int i) => string.Create(CultureInfo.InvariantCulture, $"late-{i:D7}");

    private static void Expect(Decision decision, Outcome outcome)
    {
        if (decision.Outcome != outcome) throw new InvalidOperationException($"{decision.Outcome}, not {outcome}");
    }

    private static async Task WaitForDropAsync(FlashSaleEngine engine)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 30);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var held = 0;
            for (var i = 0; i < engine.ShardCount; i++) held += engine.Shard(i).State.FindAnswers("mem")?.Count ?? 0;
            if (held == 0) return;
            await Task.Delay(50);
        }

        throw new InvalidOperationException("the answers were not dropped within 30 s");
    }

    private static long LiveHeap() => GC.GetTotalMemory(forceFullCollection: true);

    private static void Sample(string what, long heap, long delta, int per = 0)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  {what,-40} live heap {heap / 1048576.0,8:F1} MiB  delta {delta / 1048576.0,8:F1} MiB");
        if (per > 0) line += string.Create(CultureInfo.InvariantCulture, $"  = {(double)delta / per,6:F1} B each");
        Console.WriteLine(line);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
