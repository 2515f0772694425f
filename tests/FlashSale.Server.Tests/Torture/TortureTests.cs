using System.Globalization;
using FlashSale.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Server.Tests.Torture;

/// <summary>
/// The short form of the torture run (3 cycles) for CI; <c>bench/torture.sh</c> runs the full length
/// (<c>TORTURE_CYCLES=100</c>) and prints the tally.
/// </summary>
public sealed class TortureTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = TempDirectory.Create("fs-torture");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task Kill_9_at_random_moments_loses_no_acknowledged_win_and_oversells_nothing()
    {
        var cycles = Setting("TORTURE_CYCLES", 3);
        var seed = Setting("TORTURE_SEED", 20261129);
        var data = Path.Combine(_work, "data");
        var run = new TortureRun(_work, data, seed, output.WriteLine);
        output.WriteLine($"seed {seed}");
        var tally = await run.RunAsync(cycles);
        if (Environment.GetEnvironmentVariable("TORTURE_REPORT") is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, $"seed {seed}\n{tally}\n");
        }

        Assert.Equal(cycles, tally.Cycles);
        Assert.True(tally.AcknowledgedWins > 0, "the crowd never heard a win: the kills came too early to test much");
        Assert.Equal(0, tally.AcknowledgedLost);
        Assert.Equal(0, tally.Oversold);
        Assert.Equal(0, tally.OverLimit);
        Assert.Equal(tally.Unheard, tally.UnheardExpired);
        Assert.True(tally.Reservations >= tally.AcknowledgedWins, tally.ToString());
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture,
            out var value) && value > 0 ? value : fallback;
}
