using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashSale.Crowd;

/// <summary>System.Text.Json source generation for the crowd's report and what it sends.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CrowdResult))]
[JsonSerializable(typeof(string))]
internal sealed partial class CrowdJson : JsonSerializerContext;
