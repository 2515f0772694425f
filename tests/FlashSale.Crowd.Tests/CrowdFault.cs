namespace FlashSale.Crowd.Tests;

/// <summary>How <see cref="CrowdBrokenServer"/> breaks the contract.</summary>
internal enum CrowdFault
{
    /// <summary>Keeps the contract (the control case).</summary>
    None,

    /// <summary>Answers won past the stock.</summary>
    Oversell,

    /// <summary>Leaves the first winner out of the export.</summary>
    DropWinnerFromExport,

    /// <summary>Ignores the per-user limit: a buyer who clicks again wins again.</summary>
    WonTwice,
}
