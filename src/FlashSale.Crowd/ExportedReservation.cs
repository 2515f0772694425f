namespace FlashSale.Crowd;

/// <summary>One line of the admin export, reduced to what verification needs.</summary>
internal sealed record ExportedReservation(string Id, string UserId, string ItemId, string Status)
{
    /// <summary>Held or confirmed: the reservation holds a unit and counts against the buyer's limit.</summary>
    public bool IsLive => Status is "held" or "confirmed";
}
