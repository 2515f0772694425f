using BenchmarkDotNet.Running;
using FlashSale.Benchmarks;

// `dotnet run -c Release --project bench/FlashSale.Benchmarks -- --filter '*'`; every BenchmarkDotNet option works,
// plus `--workstation-gc` to run under the workstation GC instead of the server's GC settings.
// `... -- memory [--attempts N] [--shards N]`: heap per reservation and per remembered answer, and the heap over N
// attempts after a sell-out (not a BenchmarkDotNet run).
if (args.Length > 0 && args[0] == "memory") return await FlashSale.Benchmarks.Memory.HeapRun.RunAsync(args[1..]);
var workstationGc = args.Contains("--workstation-gc");
args = [.. args.Where(a => a != "--workstation-gc")];
BenchmarkSwitcher.FromAssembly(typeof(QuickConfig).Assembly).Run(args, new QuickConfig(workstationGc));
return 0;
