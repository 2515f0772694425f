using System.Globalization;
using System.IdentityModel.Tokens.Jwt;
using System.Text;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Auth;
using FlashSale.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Crowd.Tests.Tokens;

/// <summary>
/// The one minter of buyer tokens makes standard JWTs: the reference library (System.IdentityModel.Tokens.Jwt)
/// and the server's validator both accept them, with the claims as minted.
/// </summary>
public sealed class BuyerTokenMinterTests
{
    private const string Secret = CrowdTestSupport.TokenSecret;
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(Secret));
    private readonly BuyerTokenMinter _minter = new(Secret);

    [Fact]
    public async Task A_minted_token_validates_under_the_reference_library()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(30);
        var token = _minter.Mint("buyer-7", expires);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters());
        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("buyer-7", result.Claims["sub"]);
        Assert.Equal(expires.ToUnixTimeSeconds(), Convert.ToInt64(result.Claims["exp"], CultureInfo.InvariantCulture));
        Assert.Equal("HS256", ((JsonWebToken)result.SecurityToken).Alg);

        var principal = new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, Parameters(),
            out _);
        Assert.Equal("buyer-7", principal.FindFirst("sub")?.Value);
    }

    [Theory]
    [InlineData("Zoë O'Brien, \"VIP\"")]
    [InlineData("back\\slash and\ttab")]
    [InlineData("用户-42")]
    public async Task A_user_id_that_needs_escaping_comes_back_as_it_was(string userId)
    {
        var token = _minter.Mint(userId, DateTimeOffset.UtcNow.AddMinutes(5));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters());
        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal(userId, result.Claims["sub"]);
        Assert.Equal(userId, new BuyerTokens(Secret).UserOf(token, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    }

    [Fact]
    public async Task An_expired_minted_token_is_refused_by_the_library_and_the_server()
    {
        var token = _minter.Mint("buyer-8", DateTimeOffset.UtcNow.AddSeconds(-30));

        Assert.Null(new BuyerTokens(Secret).UserOf(token, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters())).IsValid);
    }

    [Fact]
    public void The_bearer_header_is_the_token_behind_Bearer_and_the_server_takes_it()
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(2_000_000_000);
        var bearer = _minter.Bearer("buyer-0000042", expires);

        Assert.Equal("Bearer " + _minter.Mint("buyer-0000042", expires), bearer);
        Assert.Equal("buyer-0000042", new BuyerTokens(Secret).UserOf(bearer.AsSpan(7), 1_900_000_000));
    }

    [Fact]
    public void A_user_id_the_server_would_refuse_is_refused_at_minting()
    {
        Assert.Throws<ArgumentException>(() => _minter.Mint("", DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Throws<ArgumentException>(() => _minter.Mint(new string('u', 129), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Equal(
            new string('u', 128),
            new BuyerTokens(Secret).UserOf(_minter.Mint(new string('u', 128), DateTimeOffset.UtcNow.AddMinutes(1)),
                DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
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
