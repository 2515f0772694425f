using System.Globalization;
using FlashSale.Crowd;

namespace FlashSale.Server.Hosting;

/// <summary>
/// The real server in this process on a free loopback port, as a rehearsal (or a test) asks for it; its information
/// logging is off so that it does not tear through the crowd's live display (warnings still show).
/// </summary>
public sealed class InProcessServer : IRehearsalServer
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, Uri url, string description)
    {
        _app = app;
        Url = url;
        Gateways = [url];
        Description = description;
    }

    /// <inheritdoc />
    public Uri Url { get; }

    /// <inheritdoc />
    public IReadOnlyList<Uri> Gateways { get; }

    /// <inheritdoc />
    public bool InProcess => true;

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Builds and starts the server with <paramref name="settings"/>' secrets, rate limit and data
    /// directory.</summary>
    public static async Task<IRehearsalServer> StartAsync(RehearsalServerSettings settings, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var serve = new ServeSettings("http://127.0.0.1:0", settings.DataDirectory, Demo: false,
        [
            $"--FlashSale:AdminKey={settings.AdminKey}",
            $"--FlashSale:TokenSecret={settings.TokenSecret}",
            "--FlashSale:RateLimit:Enabled=true",
            string.Create(CultureInfo.InvariantCulture,
                $"--FlashSale:RateLimit:PermitsPerSecond={settings.RateLimit.PermitsPerSecond}"),
            string.Create(CultureInfo.InvariantCulture, $"--FlashSale:RateLimit:Burst={settings.RateLimit.Burst}"),
        ]);
        var app = ServerApp.Build(serve, builder => builder.Services.Configure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        }));
        try
        {
            await app.StartAsync(cancel);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return new InProcessServer(app, url,
            $"FlashSale server in this process at {url}, data in {settings.DataDirectory}"
            + (settings.KeepData ? " (kept)" : " (removed afterwards)"));
    }

    /// <summary>Stops the server (finishing in-flight work, flushing the journal) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
