using FlashSale.Core.Sales;

namespace FlashSale.Redis.Tests.Support;

public static class TestSales
{
    /// <summary>A sale open from <see cref="Stores.Start"/> with items a (stock) and b (stock).</summary>
    public static SaleDefinition Open(string id, int stock = 2, int perUserLimit = 1, int holdSeconds = 60,
        IReadOnlyList<string>? eligible = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) =>
        new(id, "Sale " + id, startsAt ?? Stores.Start, endsAt, perUserLimit, holdSeconds, eligible,
            [new ItemDefinition("a", "Item A", 10m, stock), new ItemDefinition("b", "Item B", 20m, stock)]);
}
