using System.Globalization;
using FlashSale.Core.Purchases;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;

namespace FlashSale.Engine.Tests.Crash;

/// <summary>
/// The child process of the crash tests: opens the engine on a data directory and buys as fast as it can until it is
/// killed, printing each answer it was given (<c>won</c>, and the cancels and confirms it made) the moment it has it.
/// Whatever it printed, a buyer or the store was told.
/// </summary>
public static class CrashChild
{
    public const string Verb = "crash-child";
    public const string SaleId = "crash";
    public const int ShardCount = 4;
    public const long SegmentBytes = 16 * 1024;
    private const int Workers = 32;

    public static readonly SaleDefinition Sale = new(
        SaleId,
        "Crash sale",
        DateTimeOffset.UnixEpoch,
        null,
        2,
        86_400,
        null,
        [new ItemDefinition("a", "A", 1m, 20_000), new ItemDefinition("b", "B", 1m, 20_000)]);

    public static EngineOptions Options(string dataDirectory) =>
        new() { DataDirectory = dataDirectory, ShardCount = ShardCount, SegmentBytes = SegmentBytes, MaxChunk = 50 };

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var run = args[1];
        var engine = FlashSaleEngine.Open(Options(args[0]));
        var created = await engine.CreateSaleAsync(Sale);
        if (created.Sale is null && !created.AlreadyExists) throw new InvalidOperationException(created.Error);
        Print("ready");

        var next = -1;
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!(engine.IsSoldOut(SaleId, 0) && engine.IsSoldOut(SaleId, 1)))
            {
                var n = Interlocked.Increment(ref next);

                // Buyers come back now and then (limit 2), so some attempts are limit_reached.
                var user = string.Create(CultureInfo.InvariantCulture, $"{run}-{n % 7_000}");
                var item = n % 2 == 0 ? "a" : "b";
                var decision = await engine.PurchaseAsync(SaleId, item, user,
                    string.Create(CultureInfo.InvariantCulture, $"q{n}"));
                if (decision.Outcome != Outcome.Won) continue;
                var id = decision.Reservation!.Id;
                Print($"won {id} {user} {item}");
                if (n % 10 == 3 && (await engine.CancelAsync(id)).Result == ChangeResult.Ok) Print($"cancelled {id}");
                if (n % 10 == 7 && (await engine.ConfirmAsync(id)).Result == ChangeResult.Ok) Print($"confirmed {id}");
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Print("done");

        // Stay up until killed, as a server would.
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>
    /// One whole line per write, ended by a marker, so a line cut by the kill is never mistaken for an answer.
    /// </summary>
    private static void Print(string line) => Console.Out.WriteLine(line + " .");
}
