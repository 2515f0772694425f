using System.Globalization;
using System.Security.Cryptography;
using FlashSale.Crowd;

namespace FlashSale.Server.Hosting;

/// <summary>
/// <c>rehearse --redis CONFIG --gateways N</c>: N gateway processes (<c>flashsale serve --redis CONFIG</c>, each on a
/// free loopback port) over the operator's Redis, with the rehearsal's secrets and rate limit and a key prefix of
/// their own, so that a rehearsal never meets a real sale's keys. Disposing kills them all.
/// </summary>
public sealed class GatewayProcesses : IRehearsalServer
{
    /// <summary>Most gateways one rehearsal starts.</summary>
    public const int MaxGateways = 32;

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);
    private readonly List<GatewayProcess> _processes;

    private GatewayProcesses(List<GatewayProcess> processes, IReadOnlyList<Uri> gateways, string description)
    {
        _processes = processes;
        Gateways = gateways;
        Url = gateways[0];
        Description = description;
    }

    /// <inheritdoc />
    public Uri Url { get; }

    /// <inheritdoc />
    public IReadOnlyList<Uri> Gateways { get; }

    /// <inheritdoc />
    public bool InProcess => false;

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The rehearsal's server factory for <paramref name="count"/> gateways over
    /// <paramref name="redis"/>.</summary>
    public static Func<RehearsalServerSettings, CancellationToken, Task<IRehearsalServer>> Starter(
        string redis, int count) => (settings, cancel) => StartAsync(redis, count, settings, cancel);

    /// <summary>
    /// Starts <paramref name="count"/> gateways and waits until each listens and answers <c>/healthz</c> with 200;
    /// when one cannot (Redis unreachable, say), kills them all and throws <see cref="CrowdSetupException"/> with
    /// what the gateway said.
    /// </summary>
    public static async Task<IRehearsalServer> StartAsync(
        string redis, int count, RehearsalServerSettings settings, CancellationToken cancel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(redis);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxGateways);
        var prefix = "rehearse-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Secrets by environment, not on the command line, where any user's `ps` would show them.
            ["FlashSale__AdminKey"] = settings.AdminKey,
            ["FlashSale__TokenSecret"] = settings.TokenSecret,
            ["FlashSale__RateLimit__Enabled"] = "true",
            ["FlashSale__RateLimit__PermitsPerSecond"] =
                settings.RateLimit.PermitsPerSecond.ToString(CultureInfo.InvariantCulture),
            ["FlashSale__RateLimit__Burst"] = settings.RateLimit.Burst.ToString(CultureInfo.InvariantCulture),
            ["FlashSale__Redis__KeyPrefix"] = prefix,
        };
        var processes = new List<GatewayProcess>();
        try
        {
            for (var i = 1; i <= count; i++)
            {
                processes.Add(GatewayProcess.Start(
                    i, ["serve", "--redis", redis, "--urls", "http://127.0.0.1:0"], environment));
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(StartDeadline);
            var urls = new List<Uri>();
            foreach (var process in processes) urls.Add(await ReadyAsync(process, deadline.Token));
            var endpoints = string.Join(',', redis.Split(',', StringSplitOptions.TrimEntries)
                .Where(part => part.Length > 0 && !part.Contains('=', StringComparison.Ordinal)));
            var description =
                $"{count} gateway processes (flashsale serve --redis, pids "
                + $"{string.Join(", ", processes.Select(p => p.Id))}) over Redis {endpoints}, keys under the prefix "
                + $"'{prefix}' (left in Redis afterwards); purchases spread over "
                + string.Join(", ", urls);
            return new GatewayProcesses(processes, urls, description);
        }
        catch
        {
            foreach (var process in processes) process.Dispose();
            throw;
        }
    }

    /// <summary>Kills every gateway.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes) process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<Uri> ReadyAsync(GatewayProcess process, CancellationToken deadline)
    {
        Uri url;
        try
        {
            url = await process.Listening.WaitAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            throw new CrowdSetupException(
                $"gateway {process.Number} (pid {process.Id}) did not listen within {StartDeadline.TotalSeconds:0} s: "
                + process.Tail.Trim());
        }

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new CrowdSetupException(
                    $"gateway {process.Number} at {url} exited before it was ready: " + process.Tail.Trim());
            }

            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), deadline);
                if (response.IsSuccessStatusCode) return url;
            }
            catch (HttpRequestException)
            {
                // Not ready yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new CrowdSetupException(
                    $"gateway {process.Number} at {url} did not answer /healthz with 200 within "
                    + $"{StartDeadline.TotalSeconds:0} s: " + process.Tail.Trim());
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline);
            }
            catch (OperationCanceledException)
            {
                throw new CrowdSetupException(
                    $"gateway {process.Number} at {url} did not answer /healthz with 200 within "
                    + $"{StartDeadline.TotalSeconds:0} s: " + process.Tail.Trim());
            }
        }
    }
}
