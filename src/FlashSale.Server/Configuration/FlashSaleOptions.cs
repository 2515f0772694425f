using FlashSale.Engine;
using FlashSale.Redis;

namespace FlashSale.Server.Configuration;

/// <summary>
/// The <c>FlashSale</c> configuration section. Validated on start: a bad value stops the server with a clear
/// message.
/// </summary>
public sealed class FlashSaleOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "FlashSale";

    /// <summary>Bearer key for <c>/admin/*</c>. Required (at least 16 characters).</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// HMAC secret for buyers' HS256 tokens, shared with the main store. Required (at least 32 bytes).
    /// </summary>
    public string? TokenSecret { get; set; }

    /// <summary>Per-buyer rate limit of purchase attempts.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Kestrel's connection limits and buffers (<c>FlashSale:Connections</c>).</summary>
    public ConnectionOptions Connections { get; set; } = new();

    /// <summary>The embedded engine (<c>FlashSale:Engine:ShardCount</c>, <c>QueueCapacity</c>, ...).</summary>
    public EngineOptions Engine { get; set; } = new();

    /// <summary>Delivery of won reservations to the main store (<c>FlashSale:Webhook:Url</c>, ...).</summary>
    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>
    /// Cluster mode (<c>FlashSale:Redis:Configuration</c>, the StackExchange.Redis configuration string, or
    /// <c>serve --redis</c>): present, the server is a stateless gateway on the Redis store; absent, the embedded
    /// engine.
    /// </summary>
    public RedisStoreOptions Redis { get; set; } = new();

    /// <summary>True when <c>FlashSale:Redis:Configuration</c> is set: a gateway on Redis.</summary>
    public bool ClusterMode => !string.IsNullOrWhiteSpace(Redis.Configuration);

    /// <summary>Seconds a client is told to wait (Retry-After) when a shard's queue is full.</summary>
    public int BusyRetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Purchases handled at once at most; the next is answered <c>503 busy</c> before any work (0 = no limit).
    /// </summary>
    public int MaxPurchasesInFlight { get; set; } = 256;

    /// <summary>Returns every problem with these options (empty when valid).</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(AdminKey)) problems.Add("FlashSale:AdminKey is required (or run with --demo)");
        else if (AdminKey.Length < 16) problems.Add("FlashSale:AdminKey must be at least 16 characters");
        if (string.IsNullOrEmpty(TokenSecret))
        {
            problems.Add("FlashSale:TokenSecret is required (or run with --demo)");
        }
        else if (System.Text.Encoding.UTF8.GetByteCount(TokenSecret) < 32)
        {
            problems.Add("FlashSale:TokenSecret must be at least 32 bytes (HS256 key)");
        }

        if (RateLimit.PermitsPerSecond < 1) problems.Add("FlashSale:RateLimit:PermitsPerSecond must be at least 1");
        if (RateLimit.Burst < 1) problems.Add("FlashSale:RateLimit:Burst must be at least 1");
        if (MaxPurchasesInFlight < 0) problems.Add("FlashSale:MaxPurchasesInFlight must be 0 (no limit) or more");
        if (BusyRetryAfterSeconds < 1) problems.Add("FlashSale:BusyRetryAfterSeconds must be at least 1");
        problems.AddRange(Connections.Validate());
        problems.AddRange(Webhook.Validate());
        if (Engine.Validate() is { } engine) problems.Add("FlashSale:Engine: " + engine);
        if (ClusterMode && Redis.Validate() is { } redis) problems.Add("FlashSale:Redis: " + redis);
        return problems;
    }
}
