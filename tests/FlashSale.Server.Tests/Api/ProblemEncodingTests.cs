using System.Net.Http.Json;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>Problem bodies print &lt;, ' and non-ASCII characters as they are; JSON's own escapes only.</summary>
public sealed class ProblemEncodingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task Problem_details_print_angle_brackets_apostrophes_and_non_ASCII_characters_as_they_are()
    {
        using var unauthorized = await _server.Client.GetAsync("/admin/sales");
        var text = await unauthorized.Content.ReadAsStringAsync();
        Assert.Contains("Authorization: Bearer <FlashSale:AdminKey>.", text, StringComparison.Ordinal);

        using var created = await _server.Admin.PostAsJsonAsync("/admin/sales", new
        {
            name = "Zoë's \"sale\"",
            startsAt = "démain à 10h <bientôt>",
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } },
        });
        var raw = await created.Content.ReadAsStringAsync();
        await HttpAssert.Problem(created, 400);
        Assert.Contains(
            "startsAt \\\"démain à 10h <bientôt>\\\" is not an ISO-8601 date and time", raw,
            StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);

        using var limit = await _server.Admin.PostAsJsonAsync("/admin/sales", new
        {
            id = "bad id",
            name = "x",
            startsAt = "now",
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock = 1 } },
        });
        var limitText = await limit.Content.ReadAsStringAsync();
        Assert.Contains("letters, digits, '-', '_' or '.'", limitText, StringComparison.Ordinal);
    }
}
