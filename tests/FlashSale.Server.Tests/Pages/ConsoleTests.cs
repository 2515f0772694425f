using System.Text.Json.Nodes;
using FlashSale.Server.Hosting;
using OpenQA.Selenium;

namespace FlashSale.Server.Tests.Pages;

/// <summary>The operator console in a real headless Chromium, against a real server in demo mode.</summary>
[Collection(PagesCollectionDefinition.Name)]
public sealed class ConsoleTests(PagesFixture fixture)
{
    private readonly Browser _browser = fixture.Browser;

    private void OpenConsole(string key)
    {
        _browser.Open(fixture.Url("/admin/"));
        var input = _browser.Element("#admin-key");
        input.SendKeys(key + Keys.Enter);
    }

    [Fact]
    public void Console_refuses_a_wrong_key_and_asks_again()
    {
        fixture.ForgetSession();
        OpenConsole("not-the-admin-key-at-all");
        Assert.Contains("refused", _browser.Element("#key-error").Text, StringComparison.Ordinal);
        Assert.Null(_browser.Script("return sessionStorage.getItem('flashsale.adminKey');"));
        _browser.Screenshot("console-key");
        _browser.AssertNoConsoleErrors(401);
    }

    [Fact]
    public async Task Console_creates_a_sale_through_its_form_and_its_charts_move_during_purchases()
    {
        var id = "ops-" + Guid.NewGuid().ToString("N")[..8];
        fixture.ForgetSession();
        OpenConsole(ServerApp.DemoAdminKey);
        _browser.Element("#sale-form");
        _browser.Until("the live feed", _ => _browser.Element("#journal-health").Text == "Journal ok" ? "" : null);

        _browser.Element("#sale-id").SendKeys(id);
        _browser.Element("#sale-name").SendKeys("Console launch");
        _browser.Element("#sale-limit").Clear();
        _browser.Element("#sale-limit").SendKeys("1");
        _browser.Element("#item-1-id").SendKeys("gpu");
        _browser.Element("#item-1-name").SendKeys("Graphics card");
        _browser.Element("#item-1-price").SendKeys("599.99");
        _browser.Element("#item-1-stock").SendKeys("40");

        // Open at once: the API takes a past start only when it is asked for explicitly.
        _browser.Element("#sale-open-now").Click();
        _browser.Element("#sale-form button[type='submit']").Click();

        _browser.WaitUntil("the created message", () => _browser.Attribute("#sale-result", "data-created-id") == id);
        var sale = JsonNode.Parse(await fixture.Admin.GetStringAsync($"admin/sales/{id}"))!.AsObject();
        Assert.Equal("Console launch", (string)sale["name"]!);
        Assert.Equal("open", (string)sale["state"]!);
        Assert.Equal(40, (int)sale["items"]![0]!["stock"]!);
        _browser.Element($"#sales-table tr[data-sale-id='{id}']");

        // Chart this sale alone.
        _browser.Script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
            _browser.Element("#chart-sale"),
            id);
        _browser.WaitUntil("units left at 40", () => UnitsLeft() == 40);

        // Buyers arrive; the charts follow them, pushed once a second.
        var buyers = Enumerable.Range(0, 120).Select(i => $"{id}-buyer-{i:D3}").ToList();
        var purchases = Task.Run(async () =>
        {
            foreach (var chunk in buyers.Chunk(10))
            {
                var answers = await Task.WhenAll(chunk.Select(user => fixture.PurchaseAsync(id, user, "gpu")));
                foreach (var answer in answers) answer.Dispose();
            }
        });
        _browser.WaitUntil("attempts on the chart", () => _browser.Number("#chart-attempts", "data-max") > 0);
        await purchases;
        _browser.WaitUntil("units left down to zero", () => UnitsLeft() == 0);
        var series = _browser.Json("#chart-attempts", "data-latest");
        Assert.True(series.ContainsKey("won"), series.ToJsonString());
        Assert.True(_browser.Number("#chart-wins", "data-max") > 0);
        var saleRow = $"#sales-table tr[data-sale-id='{id}']";
        _browser.WaitUntil("the sales table's live counts", () =>
            _browser.Element(saleRow).Text.Contains("0 / 40", StringComparison.Ordinal));
        _browser.Script("window.scrollTo(0, 0);");
        _browser.Screenshot("console");

        // The reservations table: every winner, searchable.
        _browser.Element($"#sales-table tr[data-sale-id='{id}'] button").Click();
        _browser.WaitUntil("40 reservations", () =>
            _browser.Element("#reservations-info").Text.StartsWith("40 matching of 40", StringComparison.Ordinal));
        var winner = (string)(await fixture.ExportAsync(id))[0]["userId"]!;
        _browser.Element("#reservations-search").SendKeys(winner);
        var row = _browser.Until("the winner's row", d =>
        {
            var rows = d.FindElements(By.CssSelector("#reservations-table tbody tr"));
            return rows.Count == 1 && rows[0].Text.Contains(winner, StringComparison.Ordinal) ? rows[0] : null;
        });

        // Confirm that reservation from the table.
        row.FindElement(By.XPath(".//button[text()='Confirm']")).Click();
        _browser.Until("the confirmed row", d =>
            d.FindElements(By.CssSelector("#reservations-table tbody tr[data-status='confirmed']")).FirstOrDefault());
        var confirmed = (await fixture.ExportAsync(id)).Single(r => (string)r["userId"]! == winner);
        Assert.Equal("confirmed", (string)confirmed["status"]!);

        // The CSV download, fetched with the key and saved by the browser.
        _browser.Element("#reservations-table");
        _browser.Driver.FindElement(By.XPath("//button[text()='Download CSV']")).Click();
        var file = Path.Combine(_browser.Downloads, $"{id}-reservations.csv");
        _browser.Until("the downloaded CSV", _ => File.Exists(file) && new FileInfo(file).Length > 0 ? file : null);
        var lines = File.ReadAllLines(file);
        Assert.Equal("id,saleId,itemId,userId,quantity,createdAt,holdUntil,status", lines[0]);
        Assert.Equal(41, lines.Length);
        _browser.AssertNoConsoleErrors();
    }

    private double? UnitsLeft() => (double?)_browser.Json("#chart-units", "data-latest")["left"];
}
