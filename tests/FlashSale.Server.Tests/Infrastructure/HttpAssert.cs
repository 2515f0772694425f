using System.Net;
using System.Text.Json.Nodes;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>Assertions on answers of the HTTP contract.</summary>
public static class HttpAssert
{
    /// <summary>
    /// Asserts a problem+json answer with <paramref name="status"/> (and <paramref name="outcome"/> when given);
    /// returns the body.
    /// </summary>
    public static async Task<JsonObject> Problem(HttpResponseMessage response, int status, string? outcome = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, (int)body["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["title"]), text);
        if (outcome is not null) Assert.Equal(outcome, (string?)body["outcome"]);
        return body;
    }

    /// <summary>Asserts a JSON answer with <paramref name="status"/>; returns the body.</summary>
    public static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// Asserts a <c>won</c> answer (201, the reservation for <paramref name="userId"/>); returns the reservation.
    /// </summary>
    public static async Task<JsonObject> Won(HttpResponseMessage response, string saleId, string userId,
        string itemId = "phone")
    {
        var body = (await Json(response, HttpStatusCode.Created)).AsObject();
        Assert.Equal("won", (string?)body["outcome"]);
        var reservation = body["reservation"]!.AsObject();
        Assert.False(string.IsNullOrEmpty((string?)reservation["id"]));
        Assert.Equal(saleId, (string?)reservation["saleId"]);
        Assert.Equal(itemId, (string?)reservation["itemId"]);
        Assert.Equal(userId, (string?)reservation["userId"]);
        Assert.Equal(1, (int)reservation["quantity"]!);
        Assert.Equal("held", (string?)reservation["status"]);
        var created = DateTimeOffset.Parse((string)reservation["createdAt"]!,
            System.Globalization.CultureInfo.InvariantCulture);
        var holdUntil = DateTimeOffset.Parse((string)reservation["holdUntil"]!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(holdUntil > created);
        return reservation;
    }
}
