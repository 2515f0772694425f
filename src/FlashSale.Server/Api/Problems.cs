using System.Text.Encodings.Web;
using System.Text.Json;
using FlashSale.Core.Purchases;

namespace FlashSale.Server.Api;

/// <summary>
/// RFC 9457 problem details, written straight to the response. Purchase outcomes carry their word in <c>outcome</c>.
/// Problem bodies are never embedded in HTML, so they are written with the relaxed encoder: <c>&lt;</c>, <c>'</c> and
/// non-ASCII characters print as they are, and only what JSON requires (<c>"</c>, <c>\</c>, controls) is escaped.
/// </summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>How every problem body is written.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly byte[][] OutcomeBodies = BuildOutcomeBodies();

    private static readonly byte[] StoreCannotWriteBody = Build(StatusCodes.Status503ServiceUnavailable, "Busy",
        "The store cannot write now (its disk is full or failing, or it cannot be reached); nothing was decided. " +
        "Retry after the time in Retry-After.",
        static writer => writer.WriteString("outcome", "busy"));

    /// <summary>Status code of each outcome of a purchase.</summary>
    public static int StatusOf(Outcome outcome) => outcome switch
    {
        Outcome.Won => StatusCodes.Status201Created,
        Outcome.SoldOut or Outcome.LimitReached => StatusCodes.Status409Conflict,
        Outcome.NotEligible => StatusCodes.Status403Forbidden,
        Outcome.NotStarted => 425,
        Outcome.Ended => StatusCodes.Status410Gone,
        Outcome.RateLimited => StatusCodes.Status429TooManyRequests,
        Outcome.Busy => StatusCodes.Status503ServiceUnavailable,
        Outcome.RequestIdReused => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status404NotFound,
    };

    /// <summary>Writes the constant body of an outcome that carries nothing else.</summary>
    public static Task WriteOutcome(HttpContext context, Outcome outcome)
    {
        var response = context.Response;
        response.StatusCode = StatusOf(outcome);
        response.ContentType = ContentType;
        var body = OutcomeBodies[(int)outcome];
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>
    /// <c>503 busy</c> from a store that cannot write (a full disk, an I/O error): the detail says so, so that neither
    /// a buyer nor an operator reads it as load.
    /// </summary>
    public static Task WriteStoreCannotWrite(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = ContentType;
        response.ContentLength = StoreCannotWriteBody.Length;
        return response.Body.WriteAsync(StoreCannotWriteBody).AsTask();
    }

    /// <summary>Writes a problem with a title and detail, and optional extra members.</summary>
    public static Task Write(HttpContext context, int status, string title, string detail,
        Action<Utf8JsonWriter>? extra = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        using var buffer = new MemoryStream();
        WriteTo(buffer, status, title, detail, extra);
        response.ContentLength = buffer.Length;
        return response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).AsTask();
    }

    /// <summary>The bytes of a problem body, for answers built once and written many times.</summary>
    public static byte[] Build(int status, string title, string detail, Action<Utf8JsonWriter>? extra = null)
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer, status, title, detail, extra);
        return buffer.ToArray();
    }

    public static Task BadRequest(HttpContext context, string detail) =>
        Write(context, StatusCodes.Status400BadRequest, "Bad request", detail);

    public static Task NotFound(HttpContext context, string detail) =>
        Write(context, StatusCodes.Status404NotFound, "Not found", detail);

    private static void WriteTo(Stream buffer, int status, string title, string detail, Action<Utf8JsonWriter>? extra)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("title", title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", detail);
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    private static byte[][] BuildOutcomeBodies()
    {
        var bodies = new byte[EdgeLimits.OutcomeTableSize][];
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            var (title, detail) = outcome switch
            {
                Outcome.SoldOut => ("Sold out", "No unit of this item is left."),
                Outcome.LimitReached => ("Limit reached",
                    "You already hold as many units of this sale as a buyer may."),
                Outcome.NotEligible => ("Not eligible",
                    "This sale is open to a list of buyers that does not include you."),
                Outcome.NotStarted => ("Not started", "The sale has not started yet."),
                Outcome.Ended => ("Ended", "The sale has ended."),
                Outcome.RateLimited => ("Too many attempts", "Slow down and retry after the time in Retry-After."),
                Outcome.Busy => ("Busy",
                    "Too many buyers at once; nothing was decided. Retry after the time in Retry-After."),
                Outcome.RequestIdReused => ("Request id reused",
                    "This requestId was already used for another item of this sale; nothing was decided."),
                Outcome.UnknownSale => ("Not found", "No such sale."),
                Outcome.UnknownItem => ("Not found", "The sale has no such item."),
                _ => ("", ""),
            };
            var word = outcome is Outcome.UnknownSale or Outcome.UnknownItem ? null : outcome.ToWord();
            Action<Utf8JsonWriter>? extra = word is null ? null : writer => writer.WriteString("outcome", word);
            bodies[(int)outcome] = Build(StatusOf(outcome), title, detail, extra);
        }

        return bodies;
    }
}
