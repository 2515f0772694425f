using System.Globalization;
using FlashSale.Core.Sales;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Engine.Tests.Support;

/// <summary>Sale definitions and clocks the engine tests share.</summary>
public static class TestSales
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T10:00:00Z",
        CultureInfo.InvariantCulture);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A sale open from <see cref="Start"/> with one item <c>phone</c>.</summary>
    public static SaleDefinition OneItem(string id, int stock, int perUserLimit = 1, int holdSeconds = 1800) =>
        new(id, "Sale " + id, Start, null, perUserLimit, holdSeconds, null,
            [new ItemDefinition("phone", "Phone", 499m, stock)]);

    /// <summary>A sale open from <see cref="Start"/> with the given items (id, stock).</summary>
    public static SaleDefinition Items(string id, int perUserLimit, int holdSeconds,
        params (string Id, int Stock)[] items) =>
        new(id, "Sale " + id, Start, null, perUserLimit, holdSeconds, null,
            [.. items.Select(i => new ItemDefinition(i.Id, "Item " + i.Id, 1m, i.Stock))]);
}
