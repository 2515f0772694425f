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


        // Reservations made in the same millisecond on different shards may export in either order: compare the
        // (user, item) pairs, not their order.
        static string[] Sorted(IEnumerable<string> pairs) => [.. pairs.Order(StringComparer.Ordinal)];
        var jsonl = await _server.ExportAsync(sale);
        Assert.Equal(
            Sorted([.. users.Select(user => user + "|phone"), "plain|-5"]),
            Sorted(jsonl.Select(line => (string?)line["userId"] + "|" + (string?)line["itemId"])));

        using var response2 = await _server.Admin.GetAsync($"/admin/sales/{sale}/reservations?format=csv");
        var rows = Rfc4180.Parse(await response2.Content.ReadAsStringAsync());
        string[] expected =
        [
            "'=HYPERLINK(1)|phone", "'+1+1|phone", "'-2+3|phone", "'@SUM(A1)|phone", "'\tcmd|phone", "'\rcmd|phone",
            "plain|phone", "a=b|phone", "'q|phone", "'=\"a,b\"|phone", "plain|'-5",
        ];
        Assert.Equal(Sorted(expected), Sorted(rows.Skip(1).Select(row => row[3] + "|" + row[2])));
    }
}
