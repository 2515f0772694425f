using System.Buffers.Text;
using System.Globalization;
using System.Text;
using FlashSale.Core.Outbox;

namespace FlashSale.Redis.Outbox;

/// <summary>
/// The cluster store's outbox cursor: a position per sale, as <c>r:</c> and the base64url of lines
/// <c>&lt;saleId&gt; &lt;entryId&gt; &lt;taken&gt;</c>. Sales not named are read from their stream's start.
/// </summary>
internal static class OutboxCursor
{
    private const string Prefix = "r:";
    private const int MaxLength = 64 * 1024;

    public static Dictionary<string, OutboxPosition> Parse(string? cursor)
    {
        var positions = new Dictionary<string, OutboxPosition>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(cursor)) return positions;
        if (!cursor.StartsWith(Prefix, StringComparison.Ordinal) || cursor.Length > MaxLength)
        {
            throw new OutboxCursorException("not a cursor of this store's outbox");
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor.AsSpan(Prefix.Length)));
        }
        catch (FormatException e)
        {
            throw new OutboxCursorException("not a cursor of this store's outbox", e);
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var taken)
                || !IsEntryId(parts[1]))
            {
                throw new OutboxCursorException("not a cursor of this store's outbox");
            }

            positions[parts[0]] = new OutboxPosition(parts[1], taken);
        }

        return positions;
    }

    public static string Format(IReadOnlyDictionary<string, OutboxPosition> positions)
    {
        var text = new StringBuilder();
        foreach (var (saleId, position) in positions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (position.EntryId == "-") continue;
            text.Append(CultureInfo.InvariantCulture, $"{saleId} {position.EntryId} {position.Taken}\n");
        }

        return text.Length == 0 ? "" : Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static bool IsEntryId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
