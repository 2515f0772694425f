using System.Globalization;
using System.Net.Http.Json;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>Sale times say what they mean: an offset is required, and a start in the past only as "now".</summary>
public abstract class SaleTimeTests(TestServer server)
{
    private readonly TestServer _server = server;

    public static TheoryData<string, string?, string> RefusedTimes() => new()
    {
        { "2099-01-01T10:00:00", null, "has no time-zone offset" },
        { "2099-01-01T10:00:00.123", null, "has no time-zone offset" },
        { "2099-01-01T10:00", null, "has no time-zone offset" },
        { "2099-01-01T10:00:00Z", "2099-01-02T10:00:00", "endsAt \"2099-01-02T10:00:00\" has no time-zone offset" },
        { "2020-01-01T00:00:00Z", null, "is in the past. To open the sale at once, send \"startsAt\":\"now\"" },
        { "2099-01-01", null, "is not an ISO-8601 date and time" },
        { "Now", null, "is not an ISO-8601 date and time" },
        { "tomorrow 10:00", null, "(or \"now\")" },
        { "2099-02-30T10:00:00Z", null, "is not a valid date and time" },
        { "2099-01-01T10:00:00Z", "now", "endsAt \"now\" is not an ISO-8601 date and time" },
    };

    [Theory]
    [MemberData(nameof(RefusedTimes))]
    public async Task A_sale_time_without_an_offset_or_a_start_in_the_past_is_refused_with_400(
        string startsAt, string? endsAt, string detail)
    {
        var id = Ids.New("times");
        using var response = await _server.Admin.PostAsJsonAsync("/admin/sales", new
        {
            id,
            name = "Times",
            startsAt,
            endsAt,
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } },
        });
        var problem = await HttpAssert.Problem(response, 400);
        Assert.Contains(detail, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Null(_server.Store.FindSale(id));
    }

    [Fact]
    public async Task Now_opens_the_sale_at_once_at_the_servers_clock()
    {
        var id = Ids.New("now");
        var before = DateTimeOffset.UtcNow;
        var items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } };
        var sale = await _server.CreateSaleAsync(new { id, name = "Now", startsAt = "now", items });
        var after = DateTimeOffset.UtcNow;

        var startsAt = DateTimeOffset.Parse((string)sale["startsAt"]!, CultureInfo.InvariantCulture);
        // The API writes times to the millisecond, so the lower bound is truncated the same way.
        Assert.InRange(startsAt, before.AddTicks(-(before.Ticks % TimeSpan.TicksPerMillisecond)), after);
        Assert.Equal("open", (string?)sale["state"]);
        using var won = await _server.PurchaseAsync(id, _server.TokenFor("first"));
        await HttpAssert.Won(won, id, "first");
    }

    [Fact]
    public async Task A_future_time_with_an_offset_is_kept_as_that_instant()
    {
        var id = Ids.New("offset");
        var sale = await _server.CreateSaleAsync(new
        {
            id,
            name = "Offset",
            startsAt = "2099-06-01T12:00:00+02:00",
            endsAt = "2099-06-01T11:00:00.5Z",
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } },
        });
        Assert.Equal(new DateTimeOffset(2099, 6, 1, 10, 0, 0, TimeSpan.Zero), Time(sale["startsAt"]));
        Assert.Equal(new DateTimeOffset(2099, 6, 1, 11, 0, 0, 500, TimeSpan.Zero), Time(sale["endsAt"]));
        Assert.Equal("scheduled", (string?)sale["state"]);
    }

    private static DateTimeOffset Time(System.Text.Json.Nodes.JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}
