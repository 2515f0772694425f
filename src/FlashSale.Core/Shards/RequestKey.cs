namespace FlashSale.Core.Shards;

/// <summary>Identifies one buyer's request within a sale, for idempotency.</summary>
internal readonly record struct RequestKey(string SaleId, string UserId, string RequestId);
