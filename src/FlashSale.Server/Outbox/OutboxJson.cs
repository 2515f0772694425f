using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashSale.Server.Outbox;

/// <summary>System.Text.Json source generation for the outbox's bodies.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(WebhookBatchDto))]
[JsonSerializable(typeof(OutboxLineDto))]
internal sealed partial class OutboxJson : JsonSerializerContext;
