using System.Text.Json;

namespace FlashSale.Crowd;

/// <summary>
/// Writes a run's report: <c>report.json</c> (every figure) and <c>report.html</c> (self-contained, charts in inline
/// SVG).
/// </summary>
internal static class CrowdReport
{
    public const string JsonFile = "report.json";
    public const string HtmlFile = "report.html";

    public static void Write(CrowdResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(
            Path.Combine(directory, JsonFile),
            JsonSerializer.SerializeToUtf8Bytes(result, CrowdJson.Default.CrowdResult));
        File.WriteAllText(Path.Combine(directory, HtmlFile), CrowdHtml.Render(result));
    }
}
