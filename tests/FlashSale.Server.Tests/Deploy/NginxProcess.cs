using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>
/// nginx with <c>deploy/nginx/flashsale.conf.in</c>, rendered by <c>deploy/nginx/render.sh</c> for a free port and the
/// given gateways, running in the foreground (<c>daemon off</c>) as a child with its own prefix (pid, logs, temp
/// files) in a temporary directory; killed on dispose.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    private readonly ChildProcess _process;

    private NginxProcess(ChildProcess process, string prefix, Uri url)
    {
        _process = process;
        Prefix = prefix;
        Url = url;
    }

    public Uri Url { get; }

    public string Prefix { get; }

    /// <summary>nginx's access log so far (it flushes its buffer every second).</summary>
    public string AccessLog
    {
        get
        {
            var path = Path.Combine(Prefix, "logs", "access.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
    }

    public static async Task<NginxProcess> StartAsync(string work, IEnumerable<Uri> gateways)
    {
        var prefix = Path.Combine(work, "nginx");
        var listen = $"127.0.0.1:{FreePorts.One()}";
        ChildProcess.Run("bash", work,
            [Path.Combine(Repository.Root, "deploy", "nginx", "render.sh"), prefix, listen,
                .. gateways.Select(g => g.Authority)]);
        var process = ChildProcess.Start("nginx", prefix,
            "-p", prefix, "-c", "nginx.conf", "-e", "logs/error.log", "-g", "daemon off;");
        var nginx = new NginxProcess(process, prefix, new Uri($"http://{listen}/"));
        try
        {
            using var http = new HttpClient { BaseAddress = nginx.Url, Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.True("nginx answers /nginx-health", async () =>
            {
                if (process.HasExited) Assert.Fail($"nginx exited:\n{process.Output}\n{nginx.ErrorLog}");
                try
                {
                    using var response = await http.GetAsync("/nginx-health");
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            });
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    public string ErrorLog
    {
        get
        {
            var path = Path.Combine(Prefix, "logs", "error.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
    }

    public void Dispose() => _process.Dispose();
}
