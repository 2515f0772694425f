using System.Globalization;
using System.Text.RegularExpressions;

namespace FlashSale.Server.Api;

/// <summary>
/// <c>startsAt</c> and <c>endsAt</c> of a sale to create. Each must say its time zone (<c>Z</c> or <c>+hh:mm</c>):
/// a time without one is refused rather than guessed. <c>startsAt</c> may be <c>"now"</c> (the server's clock); a
/// <c>startsAt</c> in the past is refused, so that a typo does not open a sale at once.
/// </summary>
internal static partial class SaleTimes
{
    /// <summary>The word that opens a sale at once.</summary>
    public const string Now = "now";

    /// <summary>Reads <c>startsAt</c>; returns the problem, or null with <paramref name="startsAt"/> set.</summary>
    public static string? ReadStart(string? text, DateTimeOffset now, out DateTimeOffset startsAt)
    {
        startsAt = default;
        if (text is null)
        {
            return "startsAt is required: an ISO-8601 time with its offset (2030-01-01T10:00:00Z), or \"now\".";
        }

        if (text == Now)
        {
            startsAt = now;
            return null;
        }

        if (Read("startsAt", text, out startsAt) is { } problem) return problem;
        if (startsAt < now)
        {
            return $"startsAt {Quote(text)} is in the past. To open the sale at once, send \"startsAt\":\"now\".";
        }

        return null;
    }

    /// <summary>Reads an optional <c>endsAt</c>.</summary>
    public static string? ReadEnd(string? text, out DateTimeOffset? endsAt)
    {
        endsAt = null;
        if (text is null) return null;
        if (Read("endsAt", text, out var value) is { } problem) return problem;
        endsAt = value;
        return null;
    }

    private static string? Read(string name, string text, out DateTimeOffset value)
    {
        value = default;
        var match = IsoTime().Match(text);
        if (!match.Success)
        {
            return $"{name} {Quote(text)} is not an ISO-8601 date and time such as 2030-01-01T10:00:00Z"
                + (name == "startsAt" ? " (or \"now\")." : ".");
        }

        if (!match.Groups["offset"].Success)
        {
            return $"{name} {Quote(text)} has no time-zone offset: add Z for UTC or +hh:mm (2030-01-01T10:00:00Z).";
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return $"{name} {Quote(text)} is not a valid date and time.";
        }

        return null;
    }

    /// <summary>The value as given, cut short: a message echoes it, never a whole body.</summary>
    private static string Quote(string text) => "\"" + (text.Length <= 40 ? text : text[..40] + "...") + "\"";

    [GeneratedRegex(
        @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<offset>Z|[+-]\d{2}:\d{2})?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
