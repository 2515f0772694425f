using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FlashSale.Server.Pages;

/// <summary>
/// The pages' files, embedded in the assembly and prepared once at start: each script and style sheet is served
/// under its own name (revalidated with its ETag) and under a fingerprinted name (<c>store.1a2b3c4d5e.js</c>, cached
/// for a year); the HTML pages are rendered from templates that link the fingerprinted names, with an import map so
/// that modules importing <c>./clock.js</c> get the fingerprinted file too.
/// </summary>
internal sealed class PageAssets
{
    /// <summary>Prefix of the embedded resources' logical names (see the project file).</summary>
    public const string ResourcePrefix = "FlashSale.Pages/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private readonly Dictionary<string, PageAsset> _files;

    private PageAssets(Dictionary<string, PageAsset> files, PageAsset store, PageAsset console)
    {
        _files = files;
        Store = store;
        Console = console;
    }

    /// <summary>The storefront page.</summary>
    public PageAsset Store { get; }

    /// <summary>The operator console page.</summary>
    public PageAsset Console { get; }

    /// <summary>A file under <c>/assets/</c> by its name (plain or fingerprinted), or null.</summary>
    public PageAsset? Find(string name) => _files.GetValueOrDefault(name);

    /// <summary>
    /// Reads and prepares every embedded file; <paramref name="demo"/> tells the storefront to offer the demo sign-in.
    /// </summary>
    public static PageAssets Load(bool demo)
    {
        var assembly = typeof(PageAssets).Assembly;
        var files = new Dictionary<string, PageAsset>(StringComparer.Ordinal);
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var fingerprinted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            var name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var extension = Path.GetExtension(name);
            if (extension == ".html")
            {
                templates[name] = Encoding.UTF8.GetString(bytes);
                continue;
            }

            var hash = Hash(bytes);
            var type = ContentTypes.GetValueOrDefault(extension, "application/octet-stream");
            var brotli = Compress(bytes);
            var fingerprint = $"{Path.GetFileNameWithoutExtension(name)}.{hash[..10]}{extension}";
            files[name] = new PageAsset(type, bytes, brotli, $"\"{hash[..16]}\"", false, null);
            files[fingerprint] = new PageAsset(type, bytes, brotli, $"\"{hash[..16]}\"", true, null);
            fingerprinted[name] = "/assets/" + fingerprint;
        }

        var importMap = BuildImportMap(fingerprinted);
        return new PageAssets(
            files,
            Render(templates, "store.html", fingerprinted, importMap, demo),
            Render(templates, "console.html", fingerprinted, importMap, demo));
    }

    private static string BuildImportMap(Dictionary<string, string> fingerprinted)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("imports");
            foreach (var (name, url) in fingerprinted.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if (name.EndsWith(".js", StringComparison.Ordinal)) writer.WriteString("/assets/" + name, url);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Fills a template: <c>{{importmap}}</c>, <c>{{asset:NAME}}</c> (the fingerprinted URL) and <c>{{demo}}</c>; the
    /// policy allows the one inline script (the import map) by its hash and nothing from elsewhere.
    /// </summary>
    private static PageAsset Render(
        Dictionary<string, string> templates,
        string name,
        Dictionary<string, string> fingerprinted,
        string importMap,
        bool demo)
    {
        if (!templates.TryGetValue(name, out var template))
        {
            throw new InvalidOperationException($"The embedded page {name} is missing from the assembly.");
        }

        var html = new StringBuilder(template)
            .Replace("{{importmap}}", importMap)
            .Replace("{{demo}}", demo ? "true" : "false");
        foreach (var (asset, url) in fingerprinted) html.Replace("{{asset:" + asset + "}}", url);
        var text = html.ToString();
        if (text.Contains("{{", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The embedded page {name} links a file that is not embedded.");
        }

        var scriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap)));
        var policy = $"default-src 'self'; script-src 'self' 'sha256-{scriptHash}'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
            + "object-src 'none'";
        var bytes = Encoding.UTF8.GetBytes(text);
        return new PageAsset(
            "text/html; charset=utf-8", bytes, Compress(bytes), $"\"{Hash(bytes)[..16]}\"", false, policy);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[]? Compress(byte[] bytes)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        var compressed = BrotliEncoder.TryCompress(bytes, output, out var written, quality: 11, window: 22);
        return compressed && written < bytes.Length ? output[..written] : null;
    }
}
