namespace FlashSale.Crowd;

/// <summary>Where the buyers ended up.</summary>
/// <param name="Total">Buyers in the crowd.</param>
/// <param name="Bots">Of which bots.</param>
/// <param name="Through">Got a decision (won, sold out, limit reached, not eligible, ended).</param>
/// <param name="Winners">Heard won at least once.</param>
/// <param name="GaveUp">Ran out of retries without a decision.</param>
/// <param name="NeverClicked">The run stopped before they clicked.</param>
/// <param name="StillWaiting">Waiting to retry when the run stopped.</param>
internal sealed record BuyerCounts(
    int Total, int Bots, int Through, int Winners, int GaveUp, int NeverClicked, int StillWaiting);
