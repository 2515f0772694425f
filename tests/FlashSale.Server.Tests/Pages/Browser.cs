using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using LogLevel = OpenQA.Selenium.LogLevel;

namespace FlashSale.Server.Tests.Pages;

/// <summary>
/// The system's headless Chromium (Debian's <c>chromium</c> and <c>chromium-driver</c>), driven by Selenium. Fails
/// loudly when either is missing: the pages' tests never skip. Keeps the browser's console log so that tests can
/// assert there were no errors, and saves screenshots under the test output's <c>artifacts/screenshots/</c>.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    public static readonly Size DesktopSize = new(1100, 800);
    public static readonly Size PhoneSize = new(390, 844);

    private readonly List<LogEntry> _log = [];

    private Browser(ChromeDriver driver, string downloads)
    {
        Driver = driver;
        Downloads = downloads;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Where downloads land.</summary>
    public string Downloads { get; }

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public static Browser Start()
    {
        foreach (var path in new[] { ChromiumPath, DriverPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing: the pages' tests need a real Chromium. "
                    + "Run the tests with ./test.sh, which installs it, "
                    + "or: apt-get install -y chromium chromium-driver");
            }
        }

        var downloads = TempDirectory.Create("fs-downloads");
        var service = ChromeDriverService.CreateDefaultService(
            Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--lang=en-US", $"--window-size={DesktopSize.Width},{DesktopSize.Height}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        options.AddUserProfilePreference("download.default_directory", downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(20);
        return new Browser(driver, downloads);
    }

    public void Open(Uri url) => Driver.Navigate().GoToUrl(url);

    public object? Script(string script, params object[] arguments) => Driver.ExecuteScript(script, arguments);

    /// <summary>Polls <paramref name="probe"/> until it returns non-null (page errors are retried).</summary>
    public T Until<T>(string what, Func<IWebDriver, T?> probe, TimeSpan? deadline = null) where T : class
    {
        var limit = deadline ?? TimeSpan.FromSeconds(20);
        var started = System.Diagnostics.Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (probe(Driver) is { } value) return value;
            }
            catch (WebDriverException e)
            {
                last = e;
            }

            if (started.Elapsed > limit)
            {
                Screenshot("failed-" + string.Concat(what.Where(char.IsLetterOrDigit).Take(40)));
                var error = last is null ? "" : $" (last error: {last.Message})";
                Assert.Fail($"Timed out after {limit.TotalSeconds:0} s waiting for: {what}{error}");
            }

            Thread.Sleep(50);
        }
    }

    public IWebElement Element(string css, TimeSpan? deadline = null) =>
        Until($"element {css}", driver => First(css), deadline);

    /// <summary>The first displayed element matching <paramref name="css"/>, or null.</summary>
    public IWebElement? First(string css) => Driver.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public void WaitUntil(string what, Func<bool> condition, TimeSpan? deadline = null) =>
        Until(what, _ => condition() ? "" : null, deadline);

    /// <summary>An attribute of the first displayed element matching <paramref name="css"/>.</summary>
    public string? Attribute(string css, string name) => Element(css).GetAttribute(name);

    /// <summary>An attribute parsed as JSON (the charts' <c>data-latest</c>).</summary>
    public System.Text.Json.Nodes.JsonObject Json(string css, string name) =>
        System.Text.Json.Nodes.JsonNode.Parse(Attribute(css, name) ?? "{}")!.AsObject();

    /// <summary>An attribute parsed as a number (the charts' <c>data-max</c>).</summary>
    public double Number(string css, string name) =>
        double.Parse(Attribute(css, name) ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Presses Tab until the focused element matches <paramref name="css"/>, as keyboard users do.</summary>
    public IWebElement TabTo(string css, int maxPresses = 40)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            var active = Driver.SwitchTo().ActiveElement();
            if ((bool)Script("return arguments[0].matches(arguments[1]);", active, css)!) return active;
            new OpenQA.Selenium.Interactions.Actions(Driver).SendKeys(Keys.Tab).Perform();
        }

        Assert.Fail($"{css} was not reached with {maxPresses} presses of Tab.");
        return null!;
    }

    public void SetSize(Size size) => Driver.Manage().Window.Size = size;

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>
    /// Fails on any error in the browser's console since the last call (script errors, CSP violations, failed loads),
    /// except the responses with the HTTP statuses a test provoked on purpose (Chromium logs a 4xx answer to fetch).
    /// </summary>
    public void AssertNoConsoleErrors(params int[] expectedStatuses)
    {
        _log.AddRange(Driver.Manage().Logs.GetLog(LogType.Browser));
        var errors = _log
            .Where(entry => entry.Level >= LogLevel.Severe)
            .Where(entry => !expectedStatuses.Any(status =>
                entry.Message.Contains($"status of {status} ", StringComparison.Ordinal)))
            .Select(entry => entry.Message)
            .ToList();
        _log.Clear();
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join('\n', errors));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        TempDirectory.Delete(Downloads);
    }
}
