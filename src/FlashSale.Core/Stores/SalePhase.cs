namespace FlashSale.Core.Stores;

/// <summary>A sale's state as the API shows it.</summary>
public enum SalePhase
{
    /// <summary>Before <c>startsAt</c>.</summary>
    Scheduled,

    /// <summary>Open with units left.</summary>
    Open,

    /// <summary>Open, every item sold out.</summary>
    SoldOut,

    /// <summary>Past <c>endsAt</c>, or closed.</summary>
    Ended,
}
