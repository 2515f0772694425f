namespace FlashSale.Crowd;

/// <summary>What the run cost the machine it ran on (the process: in <c>rehearse</c> the server shares it).</summary>
/// <param name="CpuSeconds">Process CPU time during the run.</param>
/// <param name="MicrosPerRequest">CPU microseconds per request.</param>
/// <param name="CpuShare">CPU time / (wall time x cores): the share of the machine used.</param>
/// <param name="Cores">Processor count.</param>
/// <param name="PeakWorkingSetMb">Peak working set of the process.</param>
/// <param name="BuyerStateMb">Memory of the per-buyer state array.</param>
/// <param name="IncludesServer">True when the server ran in the same process (rehearse).</param>
internal sealed record ClientCost(
    double CpuSeconds,
    double MicrosPerRequest,
    double CpuShare,
    int Cores,
    double PeakWorkingSetMb,
    double BuyerStateMb,
    bool IncludesServer);
