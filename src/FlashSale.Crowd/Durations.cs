using System.Globalization;

namespace FlashSale.Crowd;

/// <summary>Durations as the command line writes them: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c> or plain
/// seconds.</summary>
public static class Durations
{
    /// <summary>Parses <paramref name="text"/>; zero is allowed (callers that need a positive duration say
    /// so).</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var unit = char.ToLowerInvariant(text[^1]);
        var number = char.IsAsciiDigit(unit) ? text : text[..^1];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || value < 0
            || value > 3650 * 86400)
        {
            return false;
        }

        TimeSpan? parsed = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ when char.IsAsciiDigit(unit) => TimeSpan.FromSeconds(value),
            _ => null,
        };
        if (parsed is not { } result || result > TimeSpan.FromDays(3650)) return false;
        duration = result;
        return true;
    }
}
