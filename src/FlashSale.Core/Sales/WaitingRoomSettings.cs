namespace FlashSale.Core.Sales;

/// <summary>
/// A sale's fair waiting room: buyers who arrive in the <see cref="PreQueueSeconds"/> before the start get a ticket,
/// are put in an order drawn from <see cref="Seed"/> at the start, and are admitted <see cref="AdmitPerSecond"/> a
/// second; later arrivals queue behind them in arrival order. An admitted buyer holds a signed grant for
/// <see cref="GrantSeconds"/>. Part of the sale's admission settings, journaled with its definition.
/// </summary>
/// <param name="PreQueueSeconds">How long before the start the pre-queue opens (0 = no pre-queue).</param>
/// <param name="AdmitPerSecond">Buyers admitted per second from the start.</param>
/// <param name="GrantSeconds">How long an admitted buyer's grant lets it purchase.</param>
/// <param name="Seed">Draws the pre-queue's order: the same seed and the same ticket holders give the same order,
/// whatever order they arrived in, so the order can be audited and survives a restart.</param>
public sealed record WaitingRoomSettings(int PreQueueSeconds, int AdmitPerSecond, int GrantSeconds, long Seed)
{
    /// <summary>Default <see cref="PreQueueSeconds"/>.</summary>
    public const int DefaultPreQueueSeconds = 60;

    /// <summary>Default <see cref="AdmitPerSecond"/>.</summary>
    public const int DefaultAdmitPerSecond = 2000;

    /// <summary>Default <see cref="GrantSeconds"/>.</summary>
    public const int DefaultGrantSeconds = 120;

    /// <summary>Returns why these settings are invalid, or null when they are valid.</summary>
    public string? Validate()
    {
        if (PreQueueSeconds is < 0 or > 86_400) return "waitingRoom.preQueueSeconds must be 0-86400";
        if (AdmitPerSecond is < 1 or > 1_000_000) return "waitingRoom.admitPerSecond must be 1-1000000";
        if (GrantSeconds is < 1 or > 86_400) return "waitingRoom.grantSeconds must be 1-86400";
        return null;
    }
}
