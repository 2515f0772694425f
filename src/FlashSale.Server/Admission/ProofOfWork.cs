using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using FlashSale.Core.Admission;

namespace FlashSale.Server.Admission;

/// <summary>
/// The proof-of-work challenge: the captcha that needs no third-party service. A challenge is a signed pass (kind,
/// sale, buyer, expiry, difficulty, nonce); a solution is a decimal number <c>n</c> such that
/// SHA-256(UTF-8(challenge + ":" + n)) starts with <c>difficulty</c> zero bits. Finding one takes about
/// 2^difficulty hashes; checking it takes one HMAC and one hash. Each challenge is accepted once.
/// </summary>
public sealed class ProofOfWork(SignedPasses passes, IUsedPasses used)
{
    /// <summary>The hardest difficulty accepted (2^32 hashes is minutes of a browser's time).</summary>
    public const int MaxDifficulty = 32;

    /// <summary>The longest solution, in characters (a 64-bit number in decimal).</summary>
    public const int MaxSolutionLength = 20;

    /// <summary>Issues a challenge to <paramref name="userId"/> for <paramref name="saleId"/>.</summary>
    public string Issue(string saleId, string userId, int difficulty, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, MaxDifficulty);
        ArgumentOutOfRangeException.ThrowIfNegative(difficulty);
        return passes.Issue(PassKind.Challenge, saleId, userId, lifetime, (byte)difficulty);
    }

    /// <summary>Checks a solution and, when it is good, marks the challenge used.</summary>
    public ChallengeCheck Verify(ReadOnlySpan<char> challenge, ReadOnlySpan<char> solution, string saleId,
        string userId)
    {
        var check = Check(challenge, solution, saleId, userId, out var pass);
        if (check != ChallengeCheck.Valid) return check;
        return used.TryUse(pass.Nonce, pass.ExpiresAtMs) ? ChallengeCheck.Valid : ChallengeCheck.Replayed;
    }

    /// <summary>
    /// Checks a solution without marking the challenge used: <see cref="ChallengeCheck.Valid"/> means genuine,
    /// unexpired, this buyer's and solved; the caller then marks <paramref name="pass"/>'s nonce used where replays
    /// must be seen (the store, in cluster mode shared by every gateway).
    /// </summary>
    public ChallengeCheck Check(ReadOnlySpan<char> challenge, ReadOnlySpan<char> solution, string saleId,
        string userId, out Pass pass)
    {
        pass = default;
        if (solution.Length is 0 or > MaxSolutionLength
            || !ulong.TryParse(solution, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return ChallengeCheck.Malformed;
        }

        switch (passes.Verify(challenge, PassKind.Challenge, saleId, userId, out pass))
        {
            case PassCheck.Malformed: return ChallengeCheck.Malformed;
            case PassCheck.BadSignature: return ChallengeCheck.BadSignature;
            case PassCheck.WrongHolder: return ChallengeCheck.WrongHolder;
            case PassCheck.Expired: return ChallengeCheck.Expired;
        }

        return Meets(challenge, solution, pass.Difficulty) ? ChallengeCheck.Valid : ChallengeCheck.Unsolved;
    }

    /// <summary>
    /// Whether SHA-256(challenge + ":" + solution) has at least <paramref name="difficulty"/> leading zero bits.
    /// </summary>
    public static bool Meets(ReadOnlySpan<char> challenge, ReadOnlySpan<char> solution, int difficulty)
    {
        Span<byte> input = stackalloc byte[SignedPasses.MaxLength + 1 + MaxSolutionLength];
        if (challenge.Length > SignedPasses.MaxLength || solution.Length > MaxSolutionLength) return false;
        var length = Encoding.ASCII.GetBytes(challenge, input);
        input[length++] = (byte)':';
        length += Encoding.ASCII.GetBytes(solution, input[length..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        return LeadingZeroBits(hash) >= difficulty;
    }

    /// <summary>
    /// Finds the smallest solution by brute force (what a browser's worker and <c>flashsale crowd</c> do).
    /// </summary>
    public static ulong Solve(string challenge, int difficulty, CancellationToken cancellationToken = default)
    {
        var prefix = Encoding.ASCII.GetBytes(challenge + ":");
        var input = new byte[prefix.Length + MaxSolutionLength];
        prefix.CopyTo(input, 0);
        Span<byte> hash = stackalloc byte[32];
        for (ulong n = 0; ; n++)
        {
            if ((n & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            n.TryFormat(input.AsSpan(prefix.Length), out var digits, default, CultureInfo.InvariantCulture);
            SHA256.HashData(input.AsSpan(0, prefix.Length + digits), hash);
            if (LeadingZeroBits(hash) >= difficulty) return n;
        }
    }

    private static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var head = BinaryPrimitives.ReadUInt64BigEndian(hash);
        return head == 0 ? 64 + BitOperations.LeadingZeroCount(BinaryPrimitives.ReadUInt64BigEndian(hash[8..]))
            : BitOperations.LeadingZeroCount(head);
    }
}
