using System.Text.Json.Serialization;
using FlashSale.Core.Admission;
using FlashSale.Core.Sales;

namespace FlashSale.Redis.Catalog;

/// <summary>Source-generated JSON for the sale definitions kept in Redis.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SaleDefinition))]
[JsonSerializable(typeof(AdmissionStrategy))]
[JsonSerializable(typeof(Block))]
internal sealed partial class StoreJson : JsonSerializerContext;
