using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>Hand-made compact JWS tokens, for the tokens a well-behaved library would refuse to make.</summary>
public static class Jws
{
    public static long Exp(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToUnixTimeSeconds();

    /// <summary>
    /// header.payload.signature with <paramref name="sign"/> over the signing input (null: empty signature).
    /// </summary>
    public static string Make(string headerJson, string payloadJson, Func<byte[], byte[]>? sign)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes(payloadJson));
        var signature = sign is null ? "" : Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
        return input + "." + signature;
    }

    public static string Hs256(string payloadJson, string secret = TestServer.TokenSecret,
        string header = """{"alg":"HS256","typ":"JWT"}""") =>
        Make(header, payloadJson, input => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), input));
}
