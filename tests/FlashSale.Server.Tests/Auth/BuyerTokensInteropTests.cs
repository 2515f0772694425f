using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using FlashSale.Server.Auth;
using FlashSale.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Server.Tests.Auth;

/// <summary>
/// The hand-written validator agrees with the reference library (System.IdentityModel.Tokens.Jwt) both ways: the
/// main store may mint tokens with that library, and our tokens are standard JWTs.
/// </summary>
public sealed class BuyerTokensInteropTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(TestServer.TokenSecret));
    private readonly BuyerTokens _tokens = new(TestServer.TokenSecret);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public void A_token_minted_by_JwtSecurityTokenHandler_validates()
    {
        var token = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            issuer: "main-store",
            audience: "flashsale",
            claims: [new Claim("sub", "store-user-42"), new Claim("email", "a@example.com")],
            notBefore: DateTime.UtcNow.AddMinutes(-1),
            expires: DateTime.UtcNow.AddMinutes(10),
            signingCredentials: new SigningCredentials(Key, SecurityAlgorithms.HmacSha256)));

        Assert.Equal("store-user-42", _tokens.UserOf(token, Now));
    }

    [Fact]
    public void A_token_minted_by_JsonWebTokenHandler_with_a_kid_header_validates()
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestServer.TokenSecret)) { KeyId = "store-key-1" };
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "Zoë O'Brien, \"VIP\"" },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

        Assert.Contains("kid", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[0])),
            StringComparison.Ordinal);
        Assert.Equal("Zoë O'Brien, \"VIP\"", _tokens.UserOf(token, Now));
    }

    [Fact]
    public void A_library_token_that_expired_or_is_signed_otherwise_is_refused()
    {
        var handler = new JsonWebTokenHandler();
        var expired = handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "late" },
            NotBefore = DateTime.UtcNow.AddMinutes(-20),
            IssuedAt = DateTime.UtcNow.AddMinutes(-20),
            Expires = DateTime.UtcNow.AddMinutes(-10),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        var hs512 = handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "other-alg" },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]),
                SecurityAlgorithms.HmacSha512),
        });

        Assert.Null(_tokens.UserOf(expired, Now));
        Assert.Null(_tokens.UserOf(hs512, Now));
    }

    [Fact]
    public async Task A_library_token_is_accepted_by_the_running_server()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("interop", stock: 1);
        var token = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            claims: [new Claim("sub", "library-user")],
            expires: DateTime.UtcNow.AddMinutes(5),
            signingCredentials: new SigningCredentials(Key, SecurityAlgorithms.HmacSha256)));

        using var response = await server.PurchaseAsync("interop", token);
        await HttpAssert.Won(response, "interop", "library-user");
    }

    private static TokenValidationParameters Parameters() => new()
    {
        IssuerSigningKey = Key,
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
    };
}
