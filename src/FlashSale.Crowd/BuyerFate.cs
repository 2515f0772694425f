namespace FlashSale.Crowd;

/// <summary>What became of one simulated buyer, as <see cref="Fairness"/> counts it.</summary>
internal readonly record struct BuyerFate(bool Bot, bool Won, bool Blocked);
