using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace FlashSale.Benchmarks;

/// <summary>
/// Short runs that finish in minutes on a 2-core machine: one process per case, 3 warm-up and 5 measured
/// iterations (benchmarks may ask for more). The GC is the server's (server, non-concurrent; see
/// src/FlashSale.Server), since most of a win's cost is the GC's; <paramref name="workstationGc"/> runs the
/// workstation GC (non-concurrent) instead, for comparison. Times are per operation (per decision), so the ops/s
/// column reads as decisions per second.
/// </summary>
public sealed class QuickConfig : ManualConfig
{
    public QuickConfig(bool workstationGc = false)
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithId(workstationGc ? "QuickWorkstationGc" : "Quick")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithGcServer(!workstationGc)
            .WithGcConcurrent(false));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
        WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond));
        WithOptions(ConfigOptions.JoinSummary);
        // The generated project builds slowly when other builds share the machine; the default 2 minutes was seen to
        // fail.
        WithBuildTimeout(TimeSpan.FromMinutes(10));
    }
}
