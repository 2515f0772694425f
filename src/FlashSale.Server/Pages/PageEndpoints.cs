using FlashSale.Server.Api;
using FlashSale.Server.Auth;
using Microsoft.Net.Http.Headers;

namespace FlashSale.Server.Pages;

/// <summary>
/// The web pages: the storefront at <c>/</c> (and <c>/sales/{saleId}</c>), the operator console at <c>/admin/</c>,
/// their files under <c>/assets/</c>, the console's live feed at <c>/admin/live</c>, and with <c>--demo</c> the demo
/// sign-in at <c>POST /demo/token</c>.
/// </summary>
internal static class PageEndpoints
{
    private const string ImmutableCaching = "public, max-age=31536000, immutable";

    public static void Map(WebApplication app, bool demo)
    {
        var assets = PageAssets.Load(demo);
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", read, (HttpContext context) => Send(context, assets.Store));
        app.MapMethods("/sales/{saleId}", read, (HttpContext context) => Send(context, assets.Store));
        app.MapMethods("/admin", read, (HttpContext context) =>
        {
            // The console links its files by absolute paths, but /admin/ is its one address.
            return context.Request.Path.Value!.EndsWith('/')
                ? Send(context, assets.Console)
                : Results.Redirect("/admin/", permanent: true).ExecuteAsync(context);
        });
        app.MapMethods("/favicon.ico", read, (HttpContext context) => Send(context, assets.Find("favicon.svg")!));
        app.MapMethods("/assets/{name}", read, (HttpContext context, string name) =>
            assets.Find(name) is { } asset ? Send(context, asset) : Problems.NotFound(context, "No such file."));
        app.MapGet("/admin/live", static (HttpContext context, LiveFeed feed) => feed.Stream(context))
            .AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (!context.RequestServices.GetRequiredService<AdminKey>().IsValid(context.Request.Headers.Authorization))
            {
                await Rejections.Write(context, Rejection.AdminKeyInvalid);
                return Results.Empty;
            }

            return await next(invocation);
        });
        if (demo) app.MapPost("/demo/token", DemoSignIn.Handle);
    }

    /// <summary>
    /// Sends a file with its validator and caching; answers 304 when the browser has it, Brotli when it may.
    /// </summary>
    private static Task Send(HttpContext context, PageAsset asset)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = response.Headers;
        var brotli = asset.Brotli is not null && AcceptsBrotli(request);
        var etag = brotli ? asset.ETag.Insert(asset.ETag.Length - 1, "-br") : asset.ETag;
        headers.ETag = etag;
        headers.CacheControl = asset.Immutable ? ImmutableCaching : "no-cache";
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentSecurityPolicy is { } policy)
        {
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (Matches(request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = brotli ? asset.Brotli! : asset.Body;
        response.ContentType = asset.ContentType;
        if (brotli) headers.ContentEncoding = "br";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool AcceptsBrotli(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is null) continue;
            foreach (var part in value.Split(','))
            {
                var coding = part.Trim();
                if (coding.Equals("br", StringComparison.OrdinalIgnoreCase)) return true;
                if (coding.StartsWith("br;", StringComparison.OrdinalIgnoreCase))
                {
                    return !coding.Replace(" ", "", StringComparison.Ordinal).EndsWith("q=0", StringComparison.Ordinal);
                }
            }
        }

        return false;
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            if (value is null) continue;
            foreach (var candidate in value.Split(','))
            {
                var tag = candidate.Trim();
                var weak = tag.StartsWith("W/", StringComparison.Ordinal) && tag[2..] == etag;
                if (tag == "*" || tag == etag || weak) return true;
            }
        }

        return false;
    }
}
