using FlashSale.Core.Sales;

namespace FlashSale.Core.Stores;

/// <summary>What came of creating a sale.</summary>
/// <param name="Sale">The created sale, when created.</param>
/// <param name="Error">Why the definition is invalid, when it is.</param>
/// <param name="AlreadyExists">True when a sale with that id exists.</param>
public sealed record CreateSaleResult(Sale? Sale, string? Error, bool AlreadyExists);
