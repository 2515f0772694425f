namespace FlashSale.Crowd;

/// <summary>One side of <see cref="Fairness"/>: bots or people.</summary>
/// <param name="Buyers">Accounts of this kind in the crowd.</param>
/// <param name="Winners">Of them, those that won at least one unit.</param>
/// <param name="HeadShare">Their share of all buyers.</param>
/// <param name="WinShare">Their share of all winners (0 when nobody won).</param>
/// <param name="Blocked">Of them, those that admission refused at least once (403 other than not_eligible).</param>
internal sealed record FairnessGroup(int Buyers, int Winners, double HeadShare, double WinShare, int Blocked);
