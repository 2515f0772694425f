using FlashSale.Core.Admission;
using FlashSale.Core.Outbox;
using FlashSale.Core.Stores;
using FlashSale.Engine;
using FlashSale.Redis;
using FlashSale.Redis.Startup;
using FlashSale.Server.Admission;
using FlashSale.Server.Api;
using FlashSale.Server.Auth;
using FlashSale.Server.Configuration;
using FlashSale.Server.Metrics;
using FlashSale.Server.Outbox;
using FlashSale.Server.Pages;
using Microsoft.Extensions.Options;
using Prometheus;
using StackExchange.Redis;

namespace FlashSale.Server.Hosting;

/// <summary>
/// Builds the FlashSale web application: configuration, the store (the embedded engine, or the Redis store of cluster
/// mode), the API, probes and metrics.
/// </summary>
public static class ServerApp
{
    /// <summary>The admin key <c>--demo</c> uses. Public on purpose: demo mode is never for production.</summary>
    public const string DemoAdminKey = "demo-admin-key-not-for-production";

    /// <summary>The token secret <c>--demo</c> uses.</summary>
    public const string DemoTokenSecret = "demo-token-secret-not-for-production-0123456789";

    /// <summary>
    /// Builds the application: reads configuration, validates it (throwing
    /// <see cref="ConfigurationProblemException"/>), opens the store (the engine, replaying its journal; or, in cluster
    /// mode, Redis, whose reachability and slots are checked) and maps every endpoint.
    /// <paramref name="configure"/> lets a host (tests, rehearsal) adjust the builder last.
    /// </summary>
    public static WebApplication Build(ServeSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        Configure(builder.Configuration, settings.ConfigurationArgs, settings.Demo);
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // A failure to start (an address in use, say) reaches the caller as an exception, which `serve` prints as one
        // line; the host's own error log of it would add the stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // Hosting logs nothing above Information, but while its category is enabled at all it starts an Activity and a
        // log scope for every request; the purchase path does not pay for that.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });

        var options = new FlashSaleOptions();
        builder.Configuration.GetSection(FlashSaleOptions.Section).Bind(options);
        options.Engine.DataDirectory = settings.DataDirectory ?? options.Engine.DataDirectory;
        options.Redis.Configuration = settings.Redis ?? options.Redis.Configuration;
        if (options.Validate() is { Count: > 0 } problems) throw new ConfigurationProblemException(problems);
        builder.Services.AddSingleton(Options.Create(options));
        ConfigureKestrel(builder, options.Connections);
        configure?.Invoke(builder);

#pragma warning disable RS0030 // composition root: the one place that picks the system clock
        builder.Services.AddSingleton(TimeProvider.System);
#pragma warning restore RS0030
        builder.Services.AddSingleton<ISaleStore>(services => options.ClusterMode
            ? ConnectRedis(options.Redis, services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILoggerFactory>())
            : FlashSaleEngine.Open(
                options.Engine,
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger("FlashSale.Engine")));
        builder.Services.AddSingleton(new BuyerTokens(options.TokenSecret!));
        builder.Services.AddSingleton(new AdminKey(options.AdminKey!));
        builder.Services.AddSingleton<BuyerAuthenticator>();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton(services => new SignedPasses(options.TokenSecret!,
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IUsedPasses>(services =>
            new UsedPasses(services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ProofOfWork>();
        builder.Services.AddSingleton<ClientAddresses>();
        builder.Services.AddSingleton<LoadGauge>();
        builder.Services.AddSingleton<AdmissionGate>();
        builder.Services.AddSingleton<ReadLimiter>();
        builder.Services.AddSingleton<ReadCache>();
        builder.Services.AddSingleton<WaitingRooms>();
        builder.Services.AddSingleton<PurchaseEndpoint>();
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddSingleton<IReservationFeed>(services => services.GetRequiredService<ISaleStore>());
        builder.Services.AddSingleton<WebhookMetrics>();
        if (options.Webhook.Enabled)
        {
            builder.Services.AddHostedService(services => new WebhookDelivery(
                services.GetRequiredService<IReservationFeed>(),
                services.GetRequiredService<ISaleStore>().Checkpoint("webhook"),
                options.Webhook,
                new HttpClient(),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<WebhookMetrics>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger("FlashSale.Webhook")));
        }

        builder.Services.AddProblemDetails();

        var app = builder.Build();

        // Open the store now: a damaged journal, or a Redis that cannot be used, stops the start here, with its
        // message, before anything listens.
        var store = app.Services.GetRequiredService<ISaleStore>();
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        var readCache = app.Services.GetRequiredService<ReadCache>();
        store.AvailabilityChanged += _ => readCache.Clear();
        _ = app.Services.GetRequiredService<WebhookMetrics>();

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = StatusPages.WriteException,

            // A client's oversized or broken body is its fault, not an error of the server worth a stack trace.
            SuppressDiagnosticsCallback = static context => context.Exception is BadHttpRequestException
                || StatusPages.IsStoreUnavailable(context.Exception),
        });
        app.UseStatusCodePages(StatusPages.Write);
        BuyerEndpoints.Map(app);
        AdminEndpoints.Map(app);
        PageEndpoints.Map(app, settings.Demo);
        app.MapGet("/healthz", () => store.IsHealthy
            ? Results.Json(new HealthDto("ok", store.Kind), ServerJson.Default.HealthDto)
            : Results.Json(new HealthDto("failing", store.Kind), ServerJson.Default.HealthDto,
                statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics", metrics.Registry);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FlashSale");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (store is RedisSaleStore redis)
            {
                ServerLog.GatewayStarted(logger, string.Join(' ', app.Urls), options.Redis.Configuration,
                    store.ShardCount, redis.GatewayId);
            }
            else
            {
                ServerLog.Started(logger, string.Join(' ', app.Urls), Path.GetFullPath(options.Engine.DataDirectory),
                    store.ShardCount);
            }
        });
        app.Lifetime.ApplicationStopping.Register(() => ServerLog.Stopping(logger));
        if (settings.Demo)
        {
            Demo.Install(app, store, logger, settings.TemporaryData ? options.Engine.DataDirectory : null);
        }

        return app;
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, ConnectionOptions connections)
    {
        var limit = connections.MaxConcurrentConnections is { } max
            ? new ConnectionLimit(max, connections.RefusedRetryAfterSeconds)
            : null;
        if (limit is not null) builder.Services.AddSingleton(limit);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = EdgeLimits.MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentUpgradedConnections = connections.MaxConcurrentUpgradedConnections;
            kestrel.Limits.KeepAliveTimeout = connections.KeepAliveTimeout;
            kestrel.Limits.MaxRequestBufferSize = connections.MaxRequestBufferBytes;
            kestrel.Limits.MaxResponseBufferSize = connections.MaxResponseBufferBytes;
            if (limit is not null) kestrel.ConfigureEndpointDefaults(listen => listen.Use(limit.Wrap));
        });
    }

    /// <summary>
    /// Cluster mode's store: checks the deployment (reachable, every cluster slot served), connects, loads the scripts
    /// and the sales, then reads the persistence settings in the background (warnings when acknowledged wins could be
    /// lost).
    /// Anything that stops it is a <see cref="ConfigurationProblemException"/>: one line, exit code 2.
    /// </summary>
    private static RedisSaleStore ConnectRedis(RedisStoreOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        // The composition root, before anything listens: nothing else runs on this thread, so waiting here is safe.
        var preflight = RedisPreflight.CheckAsync(options).GetAwaiter().GetResult();
        if (preflight.Problem is { } problem) throw new ConfigurationProblemException(problem);

        RedisSaleStore store;
        try
        {
            store = RedisSaleStore.ConnectAsync(options, time, loggers.CreateLogger("FlashSale.Redis"))
                .GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ConfigurationProblemException(
                $"cannot start on Redis at {options.Configuration}: {e.Message.Split('\n')[0]}", e);
        }

        // Read in the background: a slow CONFIG answer must not hold the start back, and the warnings are advice.
        _ = WarnAboutDurabilityAsync(store, loggers.CreateLogger("FlashSale.Server"));
        return store;
    }

    /// <summary>
    /// Logs one warning per risk to acknowledged wins that the primaries' persistence settings (and WaitReplicas)
    /// leave open (<see cref="RedisSaleStore.CheckDurabilityAsync"/>).
    /// </summary>
    private static async Task WarnAboutDurabilityAsync(RedisSaleStore store, ILogger logger)
    {
        try
        {
            var report = await store.CheckDurabilityAsync();
            foreach (var warning in report.Warnings) ServerLog.DurabilityWarning(logger, warning);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            ServerLog.DurabilityWarning(logger, "the persistence settings could not be read: " + e.Message);
        }
    }

    /// <summary>
    /// The configuration chain of the contract: appsettings.json (beside the program, then in the working directory),
    /// environment, command line; with <paramref name="demo"/>, the demo secrets over all.
    /// </summary>
    public static void Configure(IConfigurationBuilder configuration, IReadOnlyList<string> args, bool demo)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine([.. args]);

        // Demo values win, so that what the demo prints is what works.
        if (demo)
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["FlashSale:AdminKey"] = DemoAdminKey,
                ["FlashSale:TokenSecret"] = DemoTokenSecret,
            });
        }
    }
}
