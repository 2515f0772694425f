using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>The CSV export neutralises cells a spreadsheet would run as formulas; jsonl stays exact.</summary>
public abstract class ExportSafetyTests(TestServer server)
{
    private readonly TestServer _server = server;

    [Fact]
    public async Task Csv_cells_starting_like_a_formula_get_a_leading_apostrophe_and_jsonl_keeps_them_as_they_are()
    {
        var sale = Ids.New("formula");
        await _server.CreateSaleAsync(new
        {
            id = sale,
            name = "Formulas",
            startsAt = "now",
            perUserLimit = 2,
            items = new[]
            {
                new { id = "-5", name = "Minus", price = 1m, stock = 20 },
                new { id = "phone", name = "Phone", price = 1m, stock = 20 },
            },
        });
        string[] users = ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "plain", "a=b", "'q",
            "=\"a,b\""];
        foreach (var user in users)
        {
            using var response = await _server.PurchaseAsync(sale, _server.TokenFor(user));
            await HttpAssert.Won(response, sale, user);
        }

        using (var minus = await _server.PurchaseAsync(sale, _server.TokenFor("plain"), "-5"))
        {
            await HttpAssert.Won(minus, sale, "plain", "-5");
        }


        var jsonl = await _server.ExportAsync(sale);
        Assert.Equal([.. users, "plain"], jsonl.Select(line => (string?)line["userId"]));
        Assert.Equal("-5", (string?)jsonl[^1]["itemId"]);

        using var response2 = await _server.Admin.GetAsync($"/admin/sales/{sale}/reservations?format=csv");
        var rows = Rfc4180.Parse(await response2.Content.ReadAsStringAsync());
        string[] expected =
        [
            "'=HYPERLINK(1)", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rcmd", "plain", "a=b", "'q", "'=\"a,b\"",
            "plain",
        ];
        Assert.Equal(expected, rows.Skip(1).Select(row => row[3]));
        Assert.Equal("'-5", rows[^1][2]);
        Assert.Equal("phone", rows[1][2]);
    }
}
