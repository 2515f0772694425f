using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Pages;

/// <summary>
/// How the pages' files are served (over real HTTP, without a browser): caching, validators, compression, policy.
/// </summary>
public sealed partial class PageServingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    [GeneratedRegex(""""(?:src|href)="(/assets/[^"]+)"|"(/assets/[^"]+\.js)"(?!:)"""")]
    private static partial Regex AssetLinks();

    [Theory]
    [InlineData("/")]
    [InlineData("/sales/any-sale")]
    [InlineData("/admin/")]
    public async Task Pages_link_only_fingerprinted_files_that_are_cached_for_a_year(string path)
    {
        using var page = await _server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", page.Headers.CacheControl!.ToString());
        Assert.NotNull(page.Headers.ETag);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("'sha256-", policy, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        var links = AssetLinks().Matches(html)
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Distinct()
            .ToList();
        Assert.NotEmpty(links);
        foreach (var link in links.Where(l => Regex.IsMatch(l, @"\.[0-9a-f]{10}\.[a-z]+$")))
        {
            using var asset = await _server.Client.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl!.ToString());
        }

        Assert.Contains(links, l => l.EndsWith(".css", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_answers_304_to_its_etag_and_brotli_to_a_browser_that_accepts_it()
    {
        using var first = await _server.Client.GetAsync("/assets/store.js");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", first.Headers.CacheControl!.ToString());
        var plain = await first.Content.ReadAsByteArrayAsync();

        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/store.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var compressed = new HttpRequestMessage(HttpMethod.Get, "/assets/store.js");
        compressed.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        compressed.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var brotli = await _server.Client.SendAsync(compressed);
        Assert.Equal("br", Assert.Single(brotli.Content.Headers.ContentEncoding));
        var bytes = await brotli.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length < plain.Length);
        using var decoded = new MemoryStream();
        using (var decoder = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            await decoder.CopyToAsync(decoded);
        }

        Assert.Equal(plain, decoded.ToArray());
        Assert.NotEqual(first.Headers.ETag!.Tag, brotli.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task An_unknown_file_is_a_404_problem()
    {
        using var response = await _server.Client.GetAsync("/assets/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Admin_without_a_slash_redirects_to_the_console()
    {
        using var response = await _server.Client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/admin/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_demo_sign_in_exists_only_in_demo_mode()
    {
        using var body = new StringContent("""{"user":"alice"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await _server.Client.PostAsync("/demo/token", body);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var page = await _server.Client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("""<meta name="flashsale-demo" content="false">""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_feed_needs_the_admin_key()
    {
        using var response = await _server.Client.GetAsync("/admin/live");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_live_feed_pushes_a_snapshot_every_second_with_rates_and_latency()
    {
        var saleId = Ids.New("live");
        await _server.CreateOpenSaleAsync(saleId, stock: 3);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/live");
        using var response = await _server.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await NextSnapshot(reader);
        Assert.True((bool)first["healthy"]!);
        Assert.Contains(first["sales"]!.AsArray(), s => (string)s!["id"]! == saleId);

        for (var i = 0; i < 5; i++)
        {
            using var answer = await _server.PurchaseAsync(saleId, _server.TokenFor(Ids.New("live-buyer")));
        }

        // The next snapshots count those five answers (three won, two sold out) and their latency.
        double won = 0, soldOut = 0, purchases = 0;
        System.Text.Json.Nodes.JsonObject? sale = null;
        for (var i = 0; i < 15 && (Math.Round(won) < 3 || Math.Round(soldOut) < 2); i++)
        {
            var snapshot = await NextSnapshot(reader);
            Assert.True((long)snapshot["intervalMs"]! > 0);
            sale = snapshot["sales"]!.AsArray().Single(s => (string)s!["id"]! == saleId)!.AsObject();
            var seconds = (long)snapshot["intervalMs"]! / 1000.0;
            won += (double)sale["perSecond"]!["won"]! * seconds;
            soldOut += (double)sale["perSecond"]!["sold_out"]! * seconds;
            purchases += (long)snapshot["purchases"]!["count"]!;
            if (snapshot["purchases"]!["p99Ms"] is { } p99) Assert.True((double)p99 > 0);
        }

        Assert.Equal(3, Math.Round(won));
        Assert.Equal(2, Math.Round(soldOut));
        Assert.Equal(0, (long)sale!["unitsLeft"]!);
        Assert.Equal(3, (long)sale["won"]!);
        Assert.True(purchases >= 5);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> NextSnapshot(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? eventType = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Equal("snapshot", eventType);
                return System.Text.Json.Nodes.JsonNode.Parse(line[6..])!.AsObject();
            }
        }

        Assert.Fail("The live feed ended.");
        return null!;
    }
}
