using System.Globalization;

namespace FlashSale.Server.Tests.Torture;

/// <summary>What a torture run counted, summed over its cycles.</summary>
public sealed class TortureTally
{
    public int Cycles { get; set; }

    public long Attempts { get; set; }

    /// <summary>Wins the crowd heard (201 with the reservation read in full) before the kill.</summary>
    public long AcknowledgedWins { get; set; }

    /// <summary>Reservations in the export after the restart.</summary>
    public long Reservations { get; set; }

    /// <summary>Reservations decided (in the export) whose buyer never heard the answer: the kill took it.</summary>
    public long Unheard { get; set; }

    /// <summary>Of those, how many were seen expired (their units back on sale) after the restart.</summary>
    public long UnheardExpired { get; set; }

    public long AcknowledgedLost { get; set; }

    public long Oversold { get; set; }

    public long OverLimit { get; set; }

    public List<int> KillAfterMs { get; } = [];

    private int KillFirst => KillAfterMs.DefaultIfEmpty().Min();

    private int KillLast => KillAfterMs.DefaultIfEmpty().Max();

    public bool Passed => AcknowledgedLost == 0 && Oversold == 0 && OverLimit == 0 && UnheardExpired == Unheard;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"""
        torture: {Cycles} cycles of crowd -> kill -9 -> restart -> verify ({(Passed ? "PASSED" : "FAILED")})
          attempts sent                      {Attempts}
          wins acknowledged to buyers        {AcknowledgedWins}
          reservations in the export         {Reservations}
          acknowledged wins lost             {AcknowledgedLost}
          decided but never heard (unheard)  {Unheard}, of which shown expired: {UnheardExpired}
          oversold (live holds over stock)   {Oversold}
          buyers over the limit              {OverLimit}
          kill after (ms)                    min {KillFirst}, max {KillLast}
        """);
}
