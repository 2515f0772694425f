using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>
/// The one place where a <see cref="Rejection"/> becomes a status code and a message. The problem bodies are built
/// once, at start, so that refusing a request allocates nothing.
/// </summary>
internal static class Rejections
{
    private static readonly byte[][] Bodies = BuildBodies();
    private static readonly int[] Statuses = BuildStatuses();

    /// <summary>Status code, title and detail of a rejection (at start only: the messages are built here).</summary>
    public static (int Status, string Title, string Detail) Describe(Rejection rejection) => rejection switch
    {
        Rejection.BodyTooLarge => (StatusCodes.Status413PayloadTooLarge, "Payload too large",
            $"The body may be at most {EdgeLimits.MaxPurchaseBodyBytes} bytes."),
        Rejection.NotJson => (400, "Bad request", "The body must be JSON (Content-Type: application/json)."),
        Rejection.BodyMissing => (400, "Bad request", "A JSON body {\"itemId\": \"...\"} is required."),
        Rejection.BodyNotAnObject => (400, "Bad request", "The body must be a JSON object."),
        Rejection.BodyNotOneObject => (400, "Bad request", "The body must be one JSON object, and nothing after it."),
        Rejection.MalformedJson => (400, "Bad request",
            "The body is not valid JSON (or holds a string JSON does not allow, such as a lone surrogate)."),
        Rejection.ItemIdNotAString => (400, "Bad request", "itemId must be a string."),
        Rejection.ItemIdMissing => (400, "Bad request", "itemId is required."),
        Rejection.ItemIdTooLong => (400, "Bad request", $"itemId is longer than {EdgeLimits.MaxIdLength} characters."),
        Rejection.RequestIdNotAString => (400, "Bad request", "requestId must be a string (or null)."),
        Rejection.RequestIdLength => (400, "Bad request",
            $"requestId must be 1-{EdgeLimits.MaxRequestIdLength} characters."),
        Rejection.SaleIdTooLong => (400, "Bad request", $"saleId is longer than {EdgeLimits.MaxIdLength} characters."),
        Rejection.UnknownSale => (StatusCodes.Status404NotFound, "Not found", "No such sale."),
        Rejection.TokenMissing => (401, "Unauthorized",
            "A buyer token is required: Authorization: Bearer <JWT signed with HS256, with sub and exp>."),
        Rejection.TokenMalformed => (401, "Unauthorized",
            "The buyer token is malformed: a JWT of three base64url parts, "
            + $"with sub (1-{EdgeLimits.MaxIdLength} characters) and exp, is required."),
        Rejection.TokenUnsupportedAlgorithm => (401, "Unauthorized",
            "The buyer token's algorithm is not supported: only HS256 is."),
        Rejection.TokenBadSignature => (401, "Unauthorized", "The buyer token's signature is bad."),
        Rejection.TokenExpired => (401, "Unauthorized", "The buyer token has expired."),
        Rejection.TokenNotYetValid => (401, "Unauthorized",
            "The buyer token is not yet valid (its nbf is in the future)."),
        Rejection.AdminKeyInvalid => (401, "Unauthorized",
            "The admin key is required: Authorization: Bearer <FlashSale:AdminKey>."),
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };

    /// <summary>The rejection a refused buyer token gets.</summary>
    public static Rejection Of(TokenRejection token) => token switch
    {
        TokenRejection.None => Rejection.None,
        TokenRejection.Missing => Rejection.TokenMissing,
        TokenRejection.UnsupportedAlgorithm => Rejection.TokenUnsupportedAlgorithm,
        TokenRejection.BadSignature => Rejection.TokenBadSignature,
        TokenRejection.Expired => Rejection.TokenExpired,
        TokenRejection.NotYetValid => Rejection.TokenNotYetValid,
        _ => Rejection.TokenMalformed,
    };

    /// <summary>Writes the problem of <paramref name="rejection"/> (with <c>WWW-Authenticate</c> on a 401).</summary>
    public static Task Write(HttpContext context, Rejection rejection)
    {
        var response = context.Response;
        var body = Bodies[(int)rejection];
        var status = Statuses[(int)rejection];
        response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = "Bearer";
        response.ContentType = Problems.ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    private static byte[][] BuildBodies()
    {
        var values = Enum.GetValues<Rejection>();
        var bodies = new byte[values.Length][];
        foreach (var rejection in values)
        {
            if (rejection == Rejection.None) continue;
            var (status, title, detail) = Describe(rejection);
            bodies[(int)rejection] = Problems.Build(status, title, detail);
        }

        return bodies;
    }

    private static int[] BuildStatuses()
    {
        var values = Enum.GetValues<Rejection>();
        var statuses = new int[values.Length];
        foreach (var rejection in values)
        {
            if (rejection != Rejection.None) statuses[(int)rejection] = Describe(rejection).Status;
        }

        return statuses;
    }
}
