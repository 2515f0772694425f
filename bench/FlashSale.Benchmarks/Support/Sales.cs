using FlashSale.Core.Sales;

namespace FlashSale.Benchmarks.Support;

/// <summary>Sale definitions for the benchmarks: started an hour ago, no end, one buy per buyer.</summary>
internal static class Sales
{
    /// <summary>One item, <c>phone</c>.</summary>
    public static SaleDefinition OneItem(string id, int stock) =>
        new(
            id,
            "Benchmark sale",
            BenchClock.Time.GetUtcNow().AddHours(-1),
            null,
            SaleDefinition.DefaultPerUserLimit,
            SaleDefinition.DefaultHoldSeconds,
            null,
            [new ItemDefinition("phone", "Phone", 999m, stock)]);

    /// <summary>Two items, <c>phone</c> and <c>case</c>.</summary>
    public static SaleDefinition TwoItems(string id, int phones, int cases) =>
        OneItem(id, phones) with
        {
            Items =
            [
                new ItemDefinition("phone", "Phone", 999m, phones),
                new ItemDefinition("case", "Case", 19m, cases),
            ],
        };
}
