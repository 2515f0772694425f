using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashSale.Server.Pages;

/// <summary>System.Text.Json source generation for the pages' own bodies.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LiveSnapshot))]
[JsonSerializable(typeof(DemoTokenBody))]
[JsonSerializable(typeof(DemoTokenDto))]
internal sealed partial class PagesJson : JsonSerializerContext;
