using System.Net;
using System.Security.Cryptography;
using System.Text;
using FlashSale.Server.Api;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>
/// Buyers need a valid HS256 token; operators need the admin key. Anything else is a 401 problem, and decides nothing.
/// </summary>
public sealed class AuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    public static TheoryData<string, string?, string> BadBuyerCredentials()
    {
        var exp = Jws.Exp(TimeSpan.FromHours(1));
        var good = $$"""{"sub":"mallory","exp":{{exp}}}""";
        var valid = Jws.Hs256(good);
        var parts = valid.Split('.');
        return new TheoryData<string, string?, string>
        {
            { "missing header", null, nameof(Rejection.TokenMissing) },
            { "empty bearer", "Bearer ", nameof(Rejection.TokenMissing) },
            { "other scheme", "Basic bWFsbG9yeTpwdw==", nameof(Rejection.TokenMissing) },
            { "token without scheme", valid, nameof(Rejection.TokenMissing) },
            { "garbage", "Bearer not-a-token", nameof(Rejection.TokenMalformed) },
            { "three garbage parts", "Bearer a.b.c", nameof(Rejection.TokenMalformed) },
            { "four parts", $"Bearer {valid}.x", nameof(Rejection.TokenMalformed) },
            { "non-base64 signature", $"Bearer {parts[0]}.{parts[1]}.!!!!", nameof(Rejection.TokenMalformed) },
            { "forged: another secret",
                "Bearer " + Jws.Hs256(good, secret: "another-secret-of-the-same-length-0123456789"),
                nameof(Rejection.TokenBadSignature) },
            { "forged: payload swapped after signing",
                $"Bearer {parts[0]}.{Jws.Hs256($$"""{"sub":"admin","exp":{{exp}}}""").Split('.')[1]}.{parts[2]}",
                nameof(Rejection.TokenBadSignature) },
            { "truncated signature", $"Bearer {valid[..^2]}", nameof(Rejection.TokenMalformed) },
            { "expired", "Bearer " + Jws.Hs256($$"""{"sub":"mallory","exp":{{Jws.Exp(TimeSpan.FromSeconds(-5))}}}"""),
                nameof(Rejection.TokenExpired) },
            { "no exp", "Bearer " + Jws.Hs256("""{"sub":"mallory"}"""), nameof(Rejection.TokenMalformed) },
            { "exp as a string", "Bearer " + Jws.Hs256($$"""{"sub":"mallory","exp":"{{exp}}"}"""),
                nameof(Rejection.TokenMalformed) },
            { "no sub", "Bearer " + Jws.Hs256($$"""{"exp":{{exp}}}"""), nameof(Rejection.TokenMalformed) },
            { "empty sub", "Bearer " + Jws.Hs256($$"""{"sub":"","exp":{{exp}}}"""), nameof(Rejection.TokenMalformed) },
            { "sub over 128 chars", "Bearer " + Jws.Hs256($$"""{"sub":"{{new string('u', 129)}}","exp":{{exp}}}"""),
                nameof(Rejection.TokenMalformed) },
            { "sub with a lone surrogate, signed", "Bearer " + Jws.Hs256($$"""{"sub":"\ud800","exp":{{exp}}}"""),
                nameof(Rejection.TokenMalformed) },
            { "exp beyond any date", "Bearer " + Jws.Hs256("""{"sub":"mallory","exp":1e400}"""),
                nameof(Rejection.TokenMalformed) },
            { "sub a number", "Bearer " + Jws.Hs256($$"""{"sub":42,"exp":{{exp}}}"""),
                nameof(Rejection.TokenMalformed) },
            { "payload not JSON", "Bearer " + Jws.Make("""{"alg":"HS256","typ":"JWT"}""", "not json",
                i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)),
                nameof(Rejection.TokenMalformed) },
            { "payload a JSON array", "Bearer " + Jws.Hs256("[1,2]"), nameof(Rejection.TokenMalformed) },
            { "alg none, no signature", "Bearer " + Jws.Make("""{"alg":"none","typ":"JWT"}""", good, null),
                nameof(Rejection.TokenUnsupportedAlgorithm) },
            { "alg none, HS256 signature", "Bearer " + Jws.Make("""{"alg":"none","typ":"JWT"}""", good,
                i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)),
                nameof(Rejection.TokenUnsupportedAlgorithm) },
            { "alg HS384 with the secret", "Bearer " + Jws.Make("""{"alg":"HS384","typ":"JWT"}""", good,
                i => HMACSHA384.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)),
                nameof(Rejection.TokenUnsupportedAlgorithm) },
            { "alg HS512 with the secret", "Bearer " + Jws.Make("""{"alg":"HS512","typ":"JWT"}""", good,
                i => HMACSHA512.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)),
                nameof(Rejection.TokenUnsupportedAlgorithm) },
            { "alg missing", "Bearer " + Jws.Make("""{"typ":"JWT"}""", good,
                i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)),
                nameof(Rejection.TokenMalformed) },
            { "header not JSON", "Bearer " + Jws.Make("HS256", good,
                i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)),
                nameof(Rejection.TokenMalformed) },
            { "huge token", "Bearer " + new string('a', EdgeLimits.MaxTokenLength) + "." + new string('b', 3000) + ".c",
                nameof(Rejection.TokenMalformed) },
            { "not yet valid", "Bearer " + Jws.Hs256(
                $$"""{"sub":"mallory","exp":{{exp}},"nbf":{{Jws.Exp(TimeSpan.FromMinutes(5))}}}"""),
                nameof(Rejection.TokenNotYetValid) },
            { "nbf a string", "Bearer " + Jws.Hs256($$"""{"sub":"mallory","exp":{{exp}},"nbf":"0"}"""),
                nameof(Rejection.TokenMalformed) },
            { "expired and signed with another secret", "Bearer " + Jws.Hs256("""{"sub":"mallory","exp":1}""",
                secret: "another-secret-of-the-same-length-0123456789"),
                nameof(Rejection.TokenBadSignature) },
        };
    }

    [Theory]
    [MemberData(nameof(BadBuyerCredentials))]
    public async Task Purchase_without_a_valid_buyer_token_answers_401_saying_why_and_decides_nothing(string why,
        string? authorization, string reason)
    {
        var sale = Ids.New("auth");
        await _server.CreateOpenSaleAsync(sale, stock: 10);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
        {
            Content = new StringContent("""{"itemId":"phone"}""", Encoding.UTF8, "application/json"),
        };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _server.Client.SendAsync(request);
        var problem = await HttpAssert.Problem(response, 401);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(Rejections.Describe(Enum.Parse<Rejection>(reason)).Detail, (string?)problem["detail"]);

        using var reservation = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{sale}/reservation");
        if (authorization is not null) reservation.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var reservationResponse = await _server.Client.SendAsync(reservation);
        Assert.Equal(Rejections.Describe(Enum.Parse<Rejection>(reason)).Detail,
            (string?)(await HttpAssert.Problem(reservationResponse, 401))["detail"]);

        Assert.True((await _server.ExportAsync(sale)).Count == 0, why);
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive_for_buyers_and_operators()
    {
        var sale = Ids.New("scheme");
        await _server.CreateOpenSaleAsync(sale, stock: 10);
        using var purchase = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
        {
            Content = new StringContent("""{"itemId":"phone"}""", Encoding.UTF8, "application/json"),
        };
        purchase.Headers.TryAddWithoutValidation("Authorization", "bearer " + _server.TokenFor("lowercase"));
        using var won = await _server.Client.SendAsync(purchase);
        await HttpAssert.Won(won, sale, "lowercase");

        using var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/sales");
        admin.Headers.TryAddWithoutValidation("Authorization", "BEARER " + TestServer.AdminKeyValue);
        using var list = await _server.Client.SendAsync(admin);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    public static TheoryData<string?> BadAdminCredentials() => new()
    {
        null,
        "Bearer ",
        "Bearer wrong-admin-key-0123456789abcdef",
        "Bearer " + TestServer.AdminKeyValue[..^1],
        "Bearer " + TestServer.AdminKeyValue + "x",
        "Basic " + TestServer.AdminKeyValue,
        TestServer.AdminKeyValue,
        "Bearer " + Jws.Hs256($$"""{"sub":"admin","exp":{{Jws.Exp(TimeSpan.FromHours(1))}}}"""),
    };

    [Theory]
    [MemberData(nameof(BadAdminCredentials))]
    public async Task Admin_calls_without_the_admin_key_answer_401_and_change_nothing(string? authorization)
    {
        var sale = Ids.New("admin-auth");
        await _server.CreateOpenSaleAsync(sale, stock: 2);
        using (var won = await _server.PurchaseAsync(sale, _server.TokenFor("holder")))
            await HttpAssert.Won(won, sale, "holder");
        var reservationId = (string)(await _server.ExportAsync(sale))[0]["id"]!;

        (HttpMethod Method, string Path, string? Body)[] calls =
        [
            (HttpMethod.Get, "/admin/sales", null),
            (HttpMethod.Post, "/admin/sales",
                $$"""{"id":"{{sale}}-evil","name":"x","startsAt":"2099-01-01T00:00:00Z","items":""" +
                """[{"id":"a","name":"a","price":1,"stock":1}]}"""),
            (HttpMethod.Get, $"/admin/sales/{sale}", null),
            (HttpMethod.Post, $"/admin/sales/{sale}/close", null),
            (HttpMethod.Get, $"/admin/sales/{sale}/reservations?format=csv", null),
            (HttpMethod.Post, $"/admin/reservations/{reservationId}/confirm", null),
            (HttpMethod.Post, $"/admin/reservations/{reservationId}/cancel", null),
            (HttpMethod.Get, "/admin/sales/no-such-sale", null),
        ];
        foreach (var (method, path, body) in calls)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await _server.Client.SendAsync(request);
            await HttpAssert.Problem(response, 401);
        }

        Assert.Null(_server.Store.FindSale(sale + "-evil"));
        Assert.Equal("open", (string?)(await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}"))["state"]);
        Assert.Equal("held", (string?)(await _server.ExportAsync(sale))[0]["status"]);
    }
}
