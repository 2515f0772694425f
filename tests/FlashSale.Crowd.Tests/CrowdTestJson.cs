using System.Text.Json;

namespace FlashSale.Crowd.Tests;

/// <summary>The crowd's report JSON options, for serialising its parts on their own.</summary>
internal static class CrowdTestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = CrowdJson.Default,
    };
}
