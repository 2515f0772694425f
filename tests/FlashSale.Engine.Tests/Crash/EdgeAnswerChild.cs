using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;

namespace FlashSale.Engine.Tests.Crash;

/// <summary>
/// The child process of the edge-answer crash test: one shard, a win, a sold-out refusal and a refusal at the limit
/// answered from memory, then a second win (whose fsynced batch also journals the two refusals, posted before it);
/// prints every answer and waits to be killed.
/// </summary>
public static class EdgeAnswerChild
{
    public const string Verb = "edge-answer-child";
    public const string SaleId = "edge";

    public static readonly SaleDefinition Sale = new(
        SaleId,
        "Edge sale",
        DateTimeOffset.UnixEpoch,
        null,
        1,
        86_400,
        null,
        [new ItemDefinition("a", "A", 1m, 1), new ItemDefinition("b", "B", 1m, 100)]);

    public static EngineOptions Options(string dataDirectory) =>
        new() { DataDirectory = dataDirectory, ShardCount = 1 };

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var engine = FlashSaleEngine.Open(Options(args[0]));
        await engine.CreateSaleAsync(Sale);
        await Buy(engine, "a", "alice", "r0");
        await Buy(engine, "a", "bob", "r1");
        await Buy(engine, "b", "alice", "r2");
        await Buy(engine, "b", "carol", "r3");
        Print("settled");

        // Stay up until killed, as a server would.
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    private static async Task Buy(FlashSaleEngine engine, string item, string user, string requestId)
    {
        var decision = await engine.PurchaseAsync(SaleId, item, user, requestId);
        Print($"{user} {requestId} {item} {decision.Outcome} {decision.Reservation?.Id}");
    }

    private static void Print(string line) => Console.Out.WriteLine(line + " .");
}
