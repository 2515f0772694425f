using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FlashSale.Core.Reservations;

namespace FlashSale.Redis.Tests.Support;

/// <summary>
/// A gateway in a process of its own (this test assembly run as a program, see <c>Program</c>): a store client and
/// a crowd on it, printing each win it tells a buyer. <see cref="Kill"/> is kill -9, mid-batch or not.
/// </summary>
public sealed class GatewayChild : IDisposable
{
    private readonly Process _process;

    public GatewayChild(string configuration, string prefix, string saleId, int buyers)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Tools.Find("dotnet");
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", typeof(GatewayChild).Assembly.Location, "gateway", configuration,
            prefix, saleId, buyers.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("the gateway process did not start");
        _process.OutputDataReceived += (_, line) =>
        {
            // "won <reservation id> <user> <item>": a win this gateway told a buyer.
            var parts = line.Data?.Split(' ');
            if (parts is ["won", var id, var user, var item])
            {
                Wins.Add(new Reservation(id, saleId, item, user, 1, default, default, ReservationStatus.Held));
            }
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null) Errors.Add(line.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The wins the child acknowledged (reservation id, user and item are what it printed).</summary>
    public ConcurrentBag<Reservation> Wins { get; } = [];

    public ConcurrentBag<string> Errors { get; } = [];

    public bool HasExited => _process.HasExited;

    /// <summary>kill -9 (SIGKILL): the child's batches in flight are cut wherever they are.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
