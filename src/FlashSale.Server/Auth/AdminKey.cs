using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Server.Auth;

/// <summary>
/// Checks the operators' bearer key in constant time (both sides hashed first, so even the length does not leak).
/// </summary>
public sealed class AdminKey(string key)
{
    private readonly byte[] _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// True when <paramref name="authorization"/> is <c>Bearer {key}</c> (the scheme in any case, RFC 9110 11.1).
    /// </summary>
    public bool IsValid(string? authorization)
    {
        if (authorization is null
            || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || authorization.Length > 1024)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(authorization[7..]), given);
        return CryptographicOperations.FixedTimeEquals(given, _hash);
    }
}
