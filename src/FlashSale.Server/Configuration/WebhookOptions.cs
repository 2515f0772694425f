namespace FlashSale.Server.Configuration;

/// <summary>
/// Delivery of won reservations to the main store (<c>FlashSale:Webhook</c>): batches POSTed to <see cref="Url"/>,
/// signed with <see cref="Secret"/>. Off while <see cref="Url"/> is empty.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Where batches are POSTed (http or https). Empty: no delivery.</summary>
    public string? Url { get; set; }

    /// <summary>HMAC-SHA256 key of the <c>FlashSale-Signature</c> header (at least 32 bytes).</summary>
    public string? Secret { get; set; }

    /// <summary>Most reservations in one POST.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How often the outbox is read when the last read was not a full batch: the longest a won reservation waits
    /// before it is sent, while the receiver keeps up.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time allowed for one POST before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first retry; each further retry waits twice as long, with jitter.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between retries.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when a URL is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Returns every problem with these options (empty when valid or off).</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (!Enabled) return problems;
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            problems.Add("FlashSale:Webhook:Url must be an absolute http or https URL");
        }

        if (string.IsNullOrEmpty(Secret) || System.Text.Encoding.UTF8.GetByteCount(Secret) < 32)
        {
            problems.Add("FlashSale:Webhook:Secret must be at least 32 bytes when FlashSale:Webhook:Url is set");
        }

        if (BatchSize is < 1 or > 10_000) problems.Add("FlashSale:Webhook:BatchSize must be 1-10000");
        if (MaxDelay < TimeSpan.FromMilliseconds(10) || MaxDelay > TimeSpan.FromMinutes(10))
        {
            problems.Add("FlashSale:Webhook:MaxDelay must be between 00:00:00.010 and 00:10:00");
        }

        if (Timeout < TimeSpan.FromMilliseconds(100)) problems.Add("FlashSale:Webhook:Timeout must be at least 100 ms");
        if (MinBackoff < TimeSpan.FromMilliseconds(1) || MaxBackoff < MinBackoff)
        {
            problems.Add("FlashSale:Webhook:MinBackoff must be positive and at most MaxBackoff");
        }

        return problems;
    }
}
