using System.Globalization;
using OpenQA.Selenium;

namespace FlashSale.Server.Tests.Pages;

/// <summary>The storefront in a real headless Chromium, against a real server in demo mode.</summary>
[Collection(PagesCollectionDefinition.Name)]
public sealed class StorefrontTests(PagesFixture fixture)
{
    private readonly Browser _browser = fixture.Browser;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static object Sale(string id, object startsAt, params (string Id, string Name, int Stock)[] items)
    {
        return new
        {
            id,
            name = "Sale " + id,
            startsAt,
            perUserLimit = 1,
            items = items.Select(i => new { id = i.Id, name = i.Name, price = 49.90m, stock = i.Stock }).ToArray(),
        };
    }

    [Fact]
    public async Task Storefront_lists_the_sales_with_a_countdown_to_the_start()
    {
        var id = "list-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateSaleAsync(Sale(id, TimeProvider.System.GetUtcNow().AddHours(2), ("phone", "Phone", 5)));
        fixture.ForgetSession();
        _browser.Open(fixture.Url("/"));

        var card = _browser.Element($"li.card[data-sale-id='{id}']");
        _browser.Until("a countdown of about two hours", _ =>
            card.FindElement(By.CssSelector(".countdown")).Text is var text
            && text.StartsWith("Opens in 01:59:", StringComparison.Ordinal) ? text : null);
        Assert.Contains("5 left", card.Text, StringComparison.Ordinal);
        _browser.Screenshot("storefront");
        _browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Countdown_turns_into_an_active_button_at_the_start_without_a_reload()
    {
        var id = "count-" + Guid.NewGuid().ToString("N")[..8];
        var startsAt = TimeProvider.System.GetUtcNow().AddSeconds(6);
        startsAt = DateTimeOffset.FromUnixTimeMilliseconds(startsAt.ToUnixTimeMilliseconds());
        await fixture.CreateSaleAsync(Sale(id, startsAt, ("phone", "Phone", 5)));
        fixture.ForgetSession();

        // The main store's hand-over: the token in the fragment, which the page moves to sessionStorage.
        _browser.Open(fixture.Url($"/sales/{id}#token={fixture.TokenFor("countdown-buyer")}"));
        Assert.Equal("countdown-buyer", _browser.Element("#signed-in-as").Text);
        Assert.DoesNotContain("token", _browser.Driver.Url, StringComparison.Ordinal);
        var button = _browser.Element("li.item[data-item-id='phone'] button.buy");
        _browser.WaitUntil("the countdown on the button", () =>
            button.Text.StartsWith("Opens in", StringComparison.Ordinal));
        Assert.Equal("true", button.GetAttribute("aria-disabled"));

        // Record, in the page, the moment (this machine's clock, which the server also reads) the button turns active.
        _browser.Script("""
            const button = arguments[0];
            window.activeAt = null;
            new MutationObserver(() => {
              const active = button.getAttribute("aria-disabled") === "false";
              if (active && window.activeAt === null) window.activeAt = Date.now();
            }).observe(button, { attributes: true });
            """, button);
        _browser.Screenshot("sale-countdown");
        var activeAt = _browser.Until("the button to turn active", _ =>
            _browser.Script("return window.activeAt;") is long at ? (object)at : null);
        var delay = (long)activeAt - startsAt.ToUnixTimeMilliseconds();

        // Never before the start (the clock sync's error on loopback is a few ms); the upper bound is loose for a
        // shared machine, yet far below what waiting for a poll or a reload would take.
        Assert.True(delay >= -100, $"The button turned active {-delay} ms before the start.");
        Assert.True(delay <= 1500, $"The button turned active {delay} ms after the start.");
        Assert.Equal("Buy now", button.Text);

        button.Click();
        var outcome = _browser.Element("#outcome[data-outcome='won']");
        Assert.Contains("You got it", outcome.Text, StringComparison.Ordinal);
        _browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Keyboard_only_purchase_shows_won_then_the_reservation()
    {
        var id = "kb-" + Guid.NewGuid().ToString("N")[..8];
        var user = "kb-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.CreateSaleAsync(Sale(id, "now", ("phone", "Phone", 3), ("case", "Case", 10)));
        fixture.ForgetSession();
        _browser.Open(fixture.Url($"/sales/{id}"));
        _browser.Element("li.item[data-item-id='phone'] button.buy");

        // Sign in with the demo form, by keyboard only.
        _browser.TabTo("#demo-user").SendKeys(user + Keys.Enter);
        Assert.Equal(user, _browser.Element("#signed-in-as").Text);

        // Reach the phone's button by Tab and press Enter.
        var button = _browser.TabTo("li.item[data-item-id='phone'] button.buy");
        Assert.Equal("Buy now", button.Text);
        button.SendKeys(Keys.Enter);

        var outcome = _browser.Element("#outcome[data-outcome='won']");
        var exported = Assert.Single(await fixture.ExportAsync(id));
        var reservationId = (string)exported["id"]!;
        Assert.Equal(user, (string)exported["userId"]!);
        Assert.Contains(reservationId, outcome.Text, StringComparison.Ordinal);
        Assert.Equal("polite", outcome.GetAttribute("aria-live"));

        var row = _browser.Until("the reservation in the table", d =>
            d.FindElements(By.CssSelector($"#reservations tr[data-reservation-id='{reservationId}']"))
                .FirstOrDefault());
        Assert.Equal("held", row.GetAttribute("data-status"));
        var holdUntil = DateTimeOffset.Parse((string)exported["holdUntil"]!, CultureInfo.InvariantCulture);
        Assert.True(holdUntil > TimeProvider.System.GetUtcNow());
        _browser.Screenshot("sale-won");

        _browser.SetSize(Browser.PhoneSize);
        try
        {
            var width = (long)_browser.Script("return document.documentElement.scrollWidth;")!;
            var viewport = (long)_browser.Script("return window.innerWidth;")!;
            Assert.True(width <= viewport, $"The page scrolls sideways on a phone: {width} px wide in {viewport} px.");
            _browser.Screenshot("sale-phone");
        }
        finally
        {
            _browser.SetSize(Browser.DesktopSize);
        }

        _browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_sold_out_item_shows_as_such()
    {
        var id = "so-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateSaleAsync(Sale(id, "now", ("phone", "Phone", 1), ("case", "Case", 10)));
        using (var won = await fixture.PurchaseAsync(id, "early-bird", "phone")) Assert.Equal(201, (int)won.StatusCode);
        fixture.ForgetSession();
        _browser.Open(fixture.Url($"/sales/{id}#token={fixture.TokenFor("late-comer")}"));

        var phone = _browser.Element("li.item[data-item-id='phone'][data-state='sold_out']");
        var button = phone.FindElement(By.CssSelector("button.buy"));
        Assert.Equal("Sold out", button.Text);
        Assert.Equal("true", button.GetAttribute("aria-disabled"));
        Assert.Contains("Sold out", phone.FindElement(By.CssSelector(".remaining")).Text, StringComparison.Ordinal);
        var other = _browser.Element("li.item[data-item-id='case'] button.buy");
        Assert.Equal("Buy now", other.Text);

        // Pressing the sold-out button does nothing: no request, no outcome.
        button.Click();
        Assert.False(_browser.Driver.FindElement(By.Id("outcome")).Displayed);
        _browser.Screenshot("sale-sold-out");
        _browser.AssertNoConsoleErrors();
    }
}
