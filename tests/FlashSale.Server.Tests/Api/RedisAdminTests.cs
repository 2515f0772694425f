using System.Net.Http.Json;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>
/// The contract tests of <see cref="AdminTests"/> on a gateway on Redis, and what only cluster mode says.
/// </summary>
public sealed class RedisAdminTests(RedisServerFixture fixture)
    : AdminTests(fixture.Server), IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task A_waiting_room_is_refused_in_cluster_mode_with_a_clear_400_and_no_sale_is_made()
    {
        var id = Ids.New("room");
        using var response = await fixture.Server.Admin.PostAsJsonAsync("/admin/sales", new
        {
            id,
            name = "Room",
            startsAt = "now",
            waitingRoom = new { },
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } },
        });
        var problem = await HttpAssert.Problem(response, 400);
        Assert.Contains("cluster mode", (string?)problem["detail"], StringComparison.Ordinal);
        using var lookup = await fixture.Server.Admin.GetAsync($"/admin/sales/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, lookup.StatusCode);
    }
}
