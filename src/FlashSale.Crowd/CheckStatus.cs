using System.Text.Json.Serialization;

namespace FlashSale.Crowd;

/// <summary>How a verification check came out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
internal enum CheckStatus
{
    Passed,
    Failed,

    /// <summary>Could not be decided (no admin key, or not every buyer got through).</summary>
    Skipped,

    /// <summary>A figure shown for information; never fails.</summary>
    Info,
}
