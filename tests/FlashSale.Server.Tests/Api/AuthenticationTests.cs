using System.Net;
using System.Security.Cryptography;
using System.Text;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>Buyers need a valid HS256 token; operators need the admin key. Anything else is a 401 problem, and decides nothing.</summary>
public sealed class AuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    public static TheoryData<string, string?> BadBuyerCredentials()
    {
        var exp = Jws.Exp(TimeSpan.FromHours(1));
        var good = $$"""{"sub":"mallory","exp":{{exp}}}""";
        var valid = Jws.Hs256(good);
        var parts = valid.Split('.');
        return new TheoryData<string, string?>
        {
            { "missing header", null },
            { "empty bearer", "Bearer " },
            { "other scheme", "Basic bWFsbG9yeTpwdw==" },
            { "token without scheme", valid },
            { "garbage", "Bearer not-a-token" },
            { "three garbage parts", "Bearer a.b.c" },
            { "four parts", $"Bearer {valid}.x" },
            { "non-base64 signature", $"Bearer {parts[0]}.{parts[1]}.!!!!" },
            { "forged: another secret", "Bearer " + Jws.Hs256(good, secret: "another-secret-of-the-same-length-0123456789") },
            { "forged: payload swapped after signing", $"Bearer {parts[0]}.{Jws.Hs256($$"""{"sub":"admin","exp":{{exp}}}""").Split('.')[1]}.{parts[2]}" },
            { "truncated signature", $"Bearer {valid[..^2]}" },
            { "expired", "Bearer " + Jws.Hs256($$"""{"sub":"mallory","exp":{{Jws.Exp(TimeSpan.FromSeconds(-5))}}}""") },
            { "no exp", "Bearer " + Jws.Hs256("""{"sub":"mallory"}""") },
            { "exp as a string", "Bearer " + Jws.Hs256($$"""{"sub":"mallory","exp":"{{exp}}"}""") },
            { "no sub", "Bearer " + Jws.Hs256($$"""{"exp":{{exp}}}""") },
            { "empty sub", "Bearer " + Jws.Hs256($$"""{"sub":"","exp":{{exp}}}""") },
            { "sub over 128 chars", "Bearer " + Jws.Hs256($$"""{"sub":"{{new string('u', 129)}}","exp":{{exp}}}""") },
            { "sub with a lone surrogate, signed", "Bearer " + Jws.Hs256($$"""{"sub":"\ud800","exp":{{exp}}}""") },
            { "exp beyond any date", "Bearer " + Jws.Hs256("""{"sub":"mallory","exp":1e400}""") },
            { "sub a number", "Bearer " + Jws.Hs256($$"""{"sub":42,"exp":{{exp}}}""") },
            { "payload not JSON", "Bearer " + Jws.Make("""{"alg":"HS256","typ":"JWT"}""", "not json", i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)) },
            { "payload a JSON array", "Bearer " + Jws.Hs256("[1,2]") },
            { "alg none, no signature", "Bearer " + Jws.Make("""{"alg":"none","typ":"JWT"}""", good, null) },
            { "alg none, HS256 signature", "Bearer " + Jws.Make("""{"alg":"none","typ":"JWT"}""", good, i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)) },
            { "alg HS384 with the secret", "Bearer " + Jws.Make("""{"alg":"HS384","typ":"JWT"}""", good, i => HMACSHA384.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)) },
            { "alg HS512 with the secret", "Bearer " + Jws.Make("""{"alg":"HS512","typ":"JWT"}""", good, i => HMACSHA512.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)) },
            { "alg missing", "Bearer " + Jws.Make("""{"typ":"JWT"}""", good, i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)) },
            { "header not JSON", "Bearer " + Jws.Make("HS256", good, i => HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.TokenSecret), i)) },
            { "huge token", "Bearer " + new string('a', 3000) + "." + new string('b', 3000) + ".c" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBuyerCredentials))]
    public async Task Purchase_without_a_valid_buyer_token_answers_401_and_decides_nothing(string why, string? authorization)
    {
        var sale = Ids.New("auth");
        await _server.CreateOpenSaleAsync(sale, stock: 10);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase") { Content = new StringContent("""{"itemId":"phone"}""", Encoding.UTF8, "application/json") };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _server.Client.SendAsync(request);
        await HttpAssert.Problem(response, 401);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var reservation = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{sale}/reservation");
        if (authorization is not null) reservation.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var reservationResponse = await _server.Client.SendAsync(reservation);
        await HttpAssert.Problem(reservationResponse, 401);

        Assert.True((await _server.ExportAsync(sale)).Count == 0, why);
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive_for_buyers_and_operators()
    {
        var sale = Ids.New("scheme");
        await _server.CreateOpenSaleAsync(sale, stock: 10);
        using var purchase = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase") { Content = new StringContent("""{"itemId":"phone"}""", Encoding.UTF8, "application/json") };
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
        using (var won = await _server.PurchaseAsync(sale, _server.TokenFor("holder"))) await HttpAssert.Won(won, sale, "holder");
        var reservationId = (string)(await _server.ExportAsync(sale))[0]["id"]!;

        (HttpMethod Method, string Path, string? Body)[] calls =
        [
            (HttpMethod.Get, "/admin/sales", null),
            (HttpMethod.Post, "/admin/sales", $$"""{"id":"{{sale}}-evil","name":"x","startsAt":"2099-01-01T00:00:00Z","items":[{"id":"a","name":"a","price":1,"stock":1}]}"""),
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

        Assert.Null(_server.Engine.FindSale(sale + "-evil"));
        Assert.Equal("open", (string?)(await _server.GetJsonAsync(_server.Client, $"/api/sales/{sale}"))["state"]);
        Assert.Equal("held", (string?)(await _server.ExportAsync(sale))[0]["status"]);
    }
}
