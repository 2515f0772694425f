using FlashSale.Core.Sales;

namespace FlashSale.Redis;

/// <summary>
/// (The same as FlashSale.Engine's; both become one Core type with the store port.) What came of creating a sale.
/// </summary>
/// <param name="Sale">The created sale, when created.</param>
/// <param name="Error">Why the definition is invalid, when it is.</param>
/// <param name="AlreadyExists">True when a sale with that id exists.</param>
public sealed record CreateSaleResult(Sale? Sale, string? Error, bool AlreadyExists);
