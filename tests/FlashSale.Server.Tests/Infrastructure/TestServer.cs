using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Auth;
using FlashSale.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>
/// The real server (<see cref="ServerApp.Build"/>) on real Kestrel, on a loopback port the OS picks, with a fresh data
/// directory. Logs are kept in memory (errors are asserted on by the tests that care) instead of cluttering the output.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string AdminKeyValue = "test-admin-key-0123456789abcdef";
    public const string TokenSecret = "test-token-secret-0123456789abcdefghijklmnop";

    private readonly WebApplication _app;
    private readonly bool _ownsDirectory;

    private TestServer(WebApplication app, string dataDirectory, bool ownsDirectory, Uri baseAddress, LogCollector logs)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        BaseAddress = baseAddress;
        Logs = logs;
        Tokens = new BuyerTokens(TokenSecret);
        Client = NewClient();
        Admin = NewClient();
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKeyValue);
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <summary>No credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends the admin key.</summary>
    public HttpClient Admin { get; }

    public BuyerTokens Tokens { get; }

    public LogCollector Logs { get; }

    public ISaleStore Store => _app.Services.GetRequiredService<ISaleStore>();

    /// <summary>
    /// Starts a server. <paramref name="configuration"/> are extra <c>--FlashSale:Key=value</c> overrides.
    /// </summary>
    public static Task<TestServer> StartAsync(params string[] configuration) => StartOnAsync(null, configuration);

    /// <summary>
    /// Starts a gateway in cluster mode on the Redis at <paramref name="redis"/> (a StackExchange.Redis configuration
    /// string). <paramref name="configuration"/> are extra overrides.
    /// </summary>
    public static Task<TestServer> StartGatewayAsync(string redis, params string[] configuration) =>
        StartOnAsync(null, [$"--FlashSale:Redis:Configuration={redis}", .. configuration]);

    /// <summary>
    /// Starts a server on <paramref name="dataDirectory"/> (a fresh temporary one when null, deleted on dispose).
    /// </summary>
    public static async Task<TestServer> StartOnAsync(string? dataDirectory, params string[] configuration)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= TempDirectory.Create("fs-server");
        var logs = new LogCollector();
        var app = ServerApp.Build(
            new ServeSettings("http://127.0.0.1:0", dataDirectory, false,
                [$"--FlashSale:AdminKey={AdminKeyValue}", $"--FlashSale:TokenSecret={TokenSecret}", .. configuration]),
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, dataDirectory, owns, new Uri(address), logs);
    }

    /// <summary>A client on this server with its own connection pool.</summary>
    public HttpClient NewClient(int maxConnections = 16) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    [SuppressMessage("Performance", "CA1822", Justification = "Server API: tests ask the server they call for a token")]
    public string TokenFor(string userId, TimeSpan? lifetime = null) =>
        new BuyerTokenMinter(TokenSecret).Mint(userId, DateTimeOffset.UtcNow.Add(lifetime ?? TimeSpan.FromHours(1)));

    /// <summary>Creates a sale; <paramref name="sale"/> is the JSON body. Asserts 201 and returns the body.</summary>
    public async Task<JsonObject> CreateSaleAsync(object sale)
    {
        using var response = await Admin.PostAsJsonAsync("/admin/sales", sale);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created,
            $"create sale: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>An open sale: starting now, no end.</summary>
    public Task<JsonObject> CreateOpenSaleAsync(string id, int stock, int perUserLimit = 1, int holdSeconds = 1800,
        string itemId = "phone") =>
        CreateSaleAsync(new
        {
            id,
            name = "Sale " + id,
            startsAt = "now",
            perUserLimit,
            holdSeconds,
            items = new[] { new { id = itemId, name = "Phone", price = 799.0m, stock } },
        });

    /// <summary>
    /// A sale with times the API refuses to create (a start in the past, an end long gone), made through the store as
    /// a journal written earlier would hold it.
    /// </summary>
    public async Task SeedSaleAsync(
        string id, DateTimeOffset startsAt, DateTimeOffset? endsAt, int stock = 5,
            IReadOnlyList<string>? eligibleUsers = null)
    {
        var created = await Store.CreateSaleAsync(new SaleDefinition(
            id,
            "Sale " + id,
            startsAt,
            endsAt,
            SaleDefinition.DefaultPerUserLimit,
            SaleDefinition.DefaultHoldSeconds,
            eligibleUsers,
            [new ItemDefinition("phone", "Phone", 1m, stock)]));
        Assert.True(created.Sale is not null, created.Error);
    }

    public Task<HttpResponseMessage> PurchaseAsync(string saleId, string token, string itemId = "phone",
        string? requestId = null, HttpClient? client = null) =>
        Purchase(client ?? Client, saleId, token, itemId, requestId);

    public static Task<HttpResponseMessage> Purchase(HttpClient client, string saleId, string token,
        string itemId = "phone", string? requestId = null)
    {
        var body = requestId is null ? JsonSerializer.Serialize(new { itemId })
            : JsonSerializer.Serialize(new { itemId, requestId });
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{saleId}/purchase")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    /// <summary>Every reservation of a sale, from the admin export.</summary>
    public async Task<List<JsonObject>> ExportAsync(string saleId)
    {
        using var response = await Admin.GetAsync($"/admin/sales/{saleId}/reservations?format=jsonl");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"export: {(int)response.StatusCode} {text}");
        return [.. text.Split('\n',
            StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    [SuppressMessage("Performance", "CA1822", Justification = "Server API, called on the server like its other reads")]
    public async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Stops the server (journal flushed, files closed) and keeps the data directory for a restart.</summary>
    public async Task StopAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        if (_ownsDirectory) TempDirectory.Delete(DataDirectory);
    }

    /// <summary>Keeps the server's log lines in memory.</summary>
    public sealed class LogCollector : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

        public IReadOnlyCollection<(LogLevel Level, string Category, string Message)> Entries => _entries;

        public IEnumerable<string> ErrorsAndWarnings(LogLevel atLeast = LogLevel.Error) =>
            _entries.Where(e => e.Level >= atLeast).Select(e => $"{e.Level} {e.Category}: {e.Message}");

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCollector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            // The server's logging configuration decides what reaches here (Information by default; a test may turn
            // a category to Debug with --Logging:LogLevel:<category>=Debug).
            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner._entries.Enqueue(
                    (logLevel, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
                }
            }
        }
    }
}
