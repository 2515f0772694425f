using System.Globalization;
using BenchmarkDotNet.Attributes;
using FlashSale.Benchmarks.Support;
using FlashSale.Server.Admission;

namespace FlashSale.Benchmarks.Admission;

/// <summary>
/// What admission costs the server per request (verifying a signed pass, checking a challenge's solution) and what
/// a challenge costs the buyer (solving it, per difficulty).
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private const int Challenges = 16;
    private readonly SignedPasses _passes = new("bench-admission-secret-0123456789abcdef", BenchClock.Time);
    private string _path = "";
    private string _solved = "";
    private string _solution = "";
    private string[] _challenges = [];

    [Params(8, 12, 16, 18)]
    public int Difficulty { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = _passes.Issue(PassKind.PurchasePath, "launch", "buyer-0001234", TimeSpan.FromHours(1));
        _solved = _passes.Issue(PassKind.Challenge, "launch", "buyer-0001234", TimeSpan.FromHours(1), (byte)Difficulty);
        _solution = ProofOfWork.Solve(_solved, Difficulty).ToString(CultureInfo.InvariantCulture);
        _challenges = [.. Enumerable.Range(0, Challenges).Select(i =>
            _passes.Issue(PassKind.Challenge, "launch", $"buyer-{i}", TimeSpan.FromHours(1), (byte)Difficulty))];
    }

    /// <summary>The server's check of a hidden purchase path (or a grant): one HMAC, compares, expiry.</summary>
    [Benchmark]
    public PassCheck VerifyPass() => _passes.Verify(_path, PassKind.PurchasePath, "launch", "buyer-0001234", out _);

    /// <summary>The server's check of a solution: the challenge's signature, then one SHA-256.</summary>
    [Benchmark]
    public bool VerifySolution() =>
        _passes.Verify(_solved, PassKind.Challenge, "launch", "buyer-0001234", out var pass) == PassCheck.Valid
        && ProofOfWork.Meets(_solved, _solution, pass.Difficulty);

    /// <summary>The buyer's work: solving one challenge (mean over 16 different ones).</summary>
    [Benchmark(OperationsPerInvoke = Challenges)]
    public ulong Solve()
    {
        ulong sum = 0;
        foreach (var challenge in _challenges) sum += ProofOfWork.Solve(challenge, Difficulty);
        return sum;
    }
}
