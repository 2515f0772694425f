using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace FlashSale.Server.Admission;

/// <summary>
/// Short-lived passes signed with HMAC-SHA256 under a key derived from the deployment's secret: a challenge, a hidden
/// purchase path, a waiting-room grant. Each is bound to its kind, one sale and one buyer, and verified by its
/// signature alone, so any gateway that shares the secret verifies it without shared state.
/// </summary>
/// <remarks>
/// Wire form: base64url of <c>[version 1][kind 1][expiresAtMs 8][nonce 16][difficulty 1][saleLen 1][sale]
/// [userLen 1][user][mac 16]</c>, where mac is the first 16 bytes of HMAC-SHA256 over everything before it. Sale
/// and user ids are UTF-8, at most 255 bytes each.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "Lives for the process; per-thread HMACs go with their threads")]
public sealed class SignedPasses
{
    /// <summary>The longest pass text, in characters.</summary>
    public const int MaxLength = 1024;

    private const byte Version = 1;
    private const int FixedBytes = 1 + 1 + 8 + 16 + 1;
    private const int MacBytes = 16;
    private const int MaxIdBytes = 255;

    private readonly ThreadLocal<IncrementalHash> _hmac;
    private readonly TimeProvider _time;

    /// <summary>
    /// Derives the passes' key from <paramref name="secret"/> (HKDF-SHA256, info "flashsale admission").
    /// </summary>
    public SignedPasses(string secret, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            info: "flashsale admission"u8.ToArray());
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
        _time = time;
    }

    /// <summary>
    /// Issues a pass of <paramref name="kind"/> for <paramref name="userId"/> in <paramref name="saleId"/>.
    /// </summary>
    public string Issue(PassKind kind, string saleId, string userId, TimeSpan lifetime, byte difficulty = 0) =>
        Issue(kind, saleId, userId, (_time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds(), difficulty);

    /// <summary>
    /// Issues a pass that expires at <paramref name="expiresAtMs"/> (Unix ms): for a pass whose expiry also records
    /// an instant, as a waiting-room ticket records its holder's arrival.
    /// </summary>
    public string Issue(PassKind kind, string saleId, string userId, long expiresAtMs, byte difficulty = 0)
    {
        var sale = Encoding.UTF8.GetBytes(saleId);
        var user = Encoding.UTF8.GetBytes(userId);
        if (sale.Length > MaxIdBytes || user.Length > MaxIdBytes)
        {
            throw new ArgumentException("id longer than 255 bytes");
        }

        var bytes = new byte[FixedBytes + 2 + sale.Length + user.Length + MacBytes];
        bytes[0] = Version;
        bytes[1] = (byte)kind;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(2), expiresAtMs);
        RandomNumberGenerator.Fill(bytes.AsSpan(10, 16));
        bytes[26] = difficulty;
        bytes[27] = (byte)sale.Length;
        sale.CopyTo(bytes, 28);
        bytes[28 + sale.Length] = (byte)user.Length;
        user.CopyTo(bytes, 29 + sale.Length);
        var signed = bytes.AsSpan(0, bytes.Length - MacBytes);
        Sign(signed, bytes.AsSpan(signed.Length));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// Verifies <paramref name="text"/> as a pass of <paramref name="kind"/> for this sale and buyer, now. Allocates
    /// nothing.
    /// </summary>
    public PassCheck Verify(ReadOnlySpan<char> text, PassKind kind, string saleId, string userId, out Pass pass)
    {
        pass = default;
        if (text.Length is 0 or > MaxLength) return PassCheck.Malformed;
        Span<byte> bytes = stackalloc byte[MaxLength];
        // The OperationStatus overload, not TryDecodeFromChars, which throws on characters outside the alphabet.
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var length) != OperationStatus.Done)
        {
            return PassCheck.Malformed;
        }

        bytes = bytes[..length];
        if (length < FixedBytes + 2 + MacBytes || bytes[0] != Version) return PassCheck.Malformed;
        var saleLength = bytes[27];
        if (28 + saleLength >= length - MacBytes) return PassCheck.Malformed;
        var userLength = bytes[28 + saleLength];
        if (29 + saleLength + userLength != length - MacBytes) return PassCheck.Malformed;

        Span<byte> mac = stackalloc byte[MacBytes];
        Sign(bytes[..^MacBytes], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes[^MacBytes..])) return PassCheck.BadSignature;

        if (bytes[1] != (byte)kind
            || !Utf8Equals(bytes.Slice(28, saleLength), saleId)
            || !Utf8Equals(bytes.Slice(29 + saleLength, userLength), userId))
        {
            return PassCheck.WrongHolder;
        }

        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes[2..]);
        pass = new Pass(expires, BinaryPrimitives.ReadUInt128BigEndian(bytes[10..]), bytes[26]);
        return _time.GetUtcNow().ToUnixTimeMilliseconds() < expires ? PassCheck.Valid : PassCheck.Expired;
    }

    private void Sign(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        var hmac = _hmac.Value!;
        hmac.AppendData(data);
        Span<byte> full = stackalloc byte[32];
        hmac.GetHashAndReset(full);
        full[..MacBytes].CopyTo(mac);
    }

    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string value)
    {
        if (utf8.Length < value.Length || utf8.Length > value.Length * 3) return false;
        Span<byte> encoded = stackalloc byte[MaxIdBytes * 3];
        return Encoding.UTF8.TryGetBytes(value, encoded, out var written) && encoded[..written].SequenceEqual(utf8);
    }
}
