using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Engine.Tests;

public sealed class SmokeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fs-smoke-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task One_unit_over_eight_shards_sells_exactly_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var engine = FlashSaleEngine.Open(new EngineOptions { DataDirectory = _dir, ShardCount = 8 }, time);
        var created = await engine.CreateSaleAsync(new SaleDefinition("s1", "Sale", time.GetUtcNow(), null, 1, 1800, null, [new ItemDefinition("phone", "Phone", 1m, 1)]));
        Assert.NotNull(created.Sale);
        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => engine.PurchaseAsync("s1", "phone", $"buyer-{i}").AsTask()));
        Assert.Equal(1, decisions.Count(d => d.Outcome == Outcome.Won));
        Assert.Equal(199, decisions.Count(d => d.Outcome == Outcome.SoldOut));
    }
}
