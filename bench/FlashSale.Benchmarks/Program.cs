using BenchmarkDotNet.Running;
using FlashSale.Benchmarks;

// `dotnet run -c Release --project bench/FlashSale.Benchmarks -- --filter '*'`; every BenchmarkDotNet option works,
// plus `--workstation-gc` to run under the workstation GC instead of the server's GC settings.
var workstationGc = args.Contains("--workstation-gc");
args = [.. args.Where(a => a != "--workstation-gc")];
BenchmarkSwitcher.FromAssembly(typeof(QuickConfig).Assembly).Run(args, new QuickConfig(workstationGc));
