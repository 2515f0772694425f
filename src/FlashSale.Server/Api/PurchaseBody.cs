using System.Buffers;
using System.Text.Json;

namespace FlashSale.Server.Api;

/// <summary>A parsed purchase body, <c>{"itemId": "...", "requestId": "..."}</c> (unknown members ignored).</summary>
/// <param name="ItemId">The item to buy.</param>
/// <param name="RequestId">The client's id of the attempt, or null.</param>
internal readonly record struct PurchaseBody(string ItemId, string? RequestId)
{
    /// <summary>Parses <paramref name="body"/>, setting <paramref name="parsed"/> when it accepts it.</summary>
    public static Rejection TryParse(ReadOnlySequence<byte> body, out PurchaseBody parsed)
    {
        parsed = default;
        if (body.IsEmpty) return Rejection.BodyMissing;
        string? itemId = null;
        string? requestId = null;
        var rootClosed = false;
        try
        {
            var json = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject) return Rejection.BodyNotAnObject;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("itemId"u8))
                {
                    json.Read();
                    if (json.TokenType != JsonTokenType.String) return Rejection.ItemIdNotAString;
                    itemId = json.GetString();
                }
                else if (json.ValueTextEquals("requestId"u8))
                {
                    json.Read();
                    if (json.TokenType == JsonTokenType.Null) requestId = null;
                    else if (json.TokenType != JsonTokenType.String) return Rejection.RequestIdNotAString;
                    else requestId = json.GetString();
                }
                else
                {
                    json.Read();
                    json.Skip();
                }
            }

            if (json.TokenType != JsonTokenType.EndObject) return Rejection.MalformedJson;
            rootClosed = true;
            if (json.Read()) return Rejection.BodyNotOneObject;
        }
        catch (JsonException)
        {
            // Anything after a complete object (a second one, garbage) is an error of the reader too.
            return rootClosed ? Rejection.BodyNotOneObject : Rejection.MalformedJson;
        }
        catch (InvalidOperationException)
        {
            // GetString of an escaped lone surrogate ("\ud800").
            return Rejection.MalformedJson;
        }

        if (string.IsNullOrEmpty(itemId)) return Rejection.ItemIdMissing;
        if (itemId.Length > EdgeLimits.MaxIdLength) return Rejection.ItemIdTooLong;
        if (requestId is not null && requestId.Length is 0 or > EdgeLimits.MaxRequestIdLength)
        {
            return Rejection.RequestIdLength;
        }

        parsed = new PurchaseBody(itemId, requestId);
        return Rejection.None;
    }
}
