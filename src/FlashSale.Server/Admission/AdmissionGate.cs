using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using FlashSale.Core.Admission;
using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Api;
using FlashSale.Server.Configuration;
using FlashSale.Server.Metrics;
using Microsoft.Extensions.Options;

namespace FlashSale.Server.Admission;

/// <summary>
/// The admission pipeline: the checks a buyer's request passes before the store sees it, cheapest first (see
/// docs/ARCHITECTURE.md, "The admission pipeline"). Each refusal is written here, with its own outcome word, and
/// counted in the sale's stats and in /metrics; the caller only learns which outcome it was.
/// </summary>
internal sealed class AdmissionGate : IDisposable
{
    /// <summary>The request header that carries the challenge a solution is for.</summary>
    public const string ChallengeHeader = "FlashSale-Challenge";

    /// <summary>The request header that carries the solution.</summary>
    public const string SolutionHeader = "FlashSale-Solution";

    private readonly ISaleStore _store;
    private readonly ClientAddresses _addresses;
    private readonly SignedPasses _passes;
    private readonly ProofOfWork _proof;
    private readonly LoadGauge _load;
    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string>? _buyerLimiter;
    private readonly TokenBuckets<(string Sale, UInt128 Address)> _addressBuckets;
    private readonly Offenders<(string Sale, string Buyer)> _buyerStrikes;
    private readonly Offenders<(string Sale, UInt128 Address)> _addressStrikes;
    private BlockMatcher _blocks = new([]);

    public AdmissionGate(ISaleStore store, ClientAddresses addresses, SignedPasses passes, ProofOfWork proof,
        LoadGauge load, ServerMetrics metrics, IOptions<FlashSaleOptions> options, TimeProvider time)
    {
        _store = store;
        _addresses = addresses;
        _passes = passes;
        _proof = proof;
        _load = load;
        _metrics = metrics;
        _time = time;
        _addressBuckets = new TokenBuckets<(string, UInt128)>(time);
        _buyerStrikes = new Offenders<(string, string)>(time);
        _addressStrikes = new Offenders<(string, UInt128)>(time);
        var settings = options.Value.RateLimit;
        if (settings.Enabled)
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Burst,
                TokensPerPeriod = settings.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,

                // The partitioned limiter's own timer replenishes every bucket; a timer per buyer would not scale.
                AutoReplenishment = false,
            };
            Func<string, RateLimiter> create = _ => new TokenBucketRateLimiter(bucket);
            _buyerLimiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.Get(user, create));
        }
    }

    /// <summary>
    /// The admission step of a purchase: null when the attempt may go on to the store, else the outcome of the
    /// refusal, already written. An unknown sale passes (the store answers it) after the per-buyer bucket.
    /// </summary>
    public async ValueTask<Outcome?> AdmitPurchase(HttpContext context, string saleId, string userId)
    {
        var sale = _store.FindSale(saleId);
        var strategy = sale?.Admission ?? AdmissionStrategy.Default;
        if (sale is not null) CountLoad(sale);
        if (Filter(context, saleId, userId, strategy) is { } filtered)
        {
            return await Refuse(context, saleId, filtered.Outcome, filtered.RetryAfterMs);
        }

        var pass = context.Request.RouteValues["pass"] as string;
        if (pass is not null)
        {
            // The hidden route always checks its path, whether or not the sale still needs one.
            if (_passes.Verify(pass, PassKind.PurchasePath, saleId, userId, out _) != PassCheck.Valid)
            {
                return await Refuse(context, saleId, Outcome.PathInvalid, 0);
            }

            // The path was handed out after the challenge: it stands for the solution.
            return null;
        }

        if (strategy.HiddenPath.Enabled) return await Refuse(context, saleId, Outcome.PathRequired, 0);
        if (sale is not null && strategy.Challenge.Enabled) return await Challenge(context, sale, userId);
        return null;
    }

    /// <summary>
    /// The admission step of <c>POST /api/sales/{saleId}/path</c>: the filter, then, when the sale has both a hidden
    /// path and a challenge, the challenge. Null when the path may be handed out.
    /// </summary>
    public async ValueTask<Outcome?> AdmitPathFetch(HttpContext context, Sale sale, string userId)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var strategy = sale.Admission;
        CountLoad(sale);
        if (Filter(context, sale.Id, userId, strategy) is { } filtered)
        {
            return await Refuse(context, sale.Id, filtered.Outcome, filtered.RetryAfterMs);
        }

        return strategy.HiddenPath.Enabled && strategy.Challenge.Enabled
            ? await Challenge(context, sale, userId)
            : null;
    }

    /// <summary>
    /// The admission step of <c>GET /api/sales/{saleId}/challenge</c>: the block list and bans only (issuing costs one
    /// HMAC). Null when a challenge may be issued.
    /// </summary>
    public async ValueTask<Outcome?> AdmitChallengeFetch(HttpContext context, Sale sale, string userId)
    {
        ArgumentNullException.ThrowIfNull(sale);
        if (Blocked(context, sale.Id, userId, sale.Admission, out var retryAfterMs) is { } refused)
        {
            return await Refuse(context, sale.Id, refused, retryAfterMs);
        }

        return null;
    }

    /// <summary>A challenge for <paramref name="userId"/> at the sale's difficulty now.</summary>
    public (string Challenge, int Difficulty, DateTimeOffset ExpiresAt) IssueChallenge(Sale sale, string userId)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var policy = sale.Admission.Challenge;
        var difficulty = policy.DifficultyAt(_load.Rate(sale.Id));
        var lifetime = TimeSpan.FromSeconds(policy.LifetimeSeconds);
        var challenge = _proof.Issue(sale.Id, userId, difficulty, lifetime);
        return (challenge, difficulty, _time.GetUtcNow() + lifetime);
    }

    /// <summary>The purchase path of <paramref name="userId"/> in the sale: hidden and signed, or plain.</summary>
    public (string Path, DateTimeOffset? ExpiresAt) IssuePath(Sale sale, string userId)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var plain = "/api/sales/" + Uri.EscapeDataString(sale.Id) + "/purchase";
        var policy = sale.Admission.HiddenPath;
        if (!policy.Enabled) return (plain, null);
        var lifetime = TimeSpan.FromSeconds(policy.LifetimeSeconds);
        return (plain + "/" + _passes.Issue(PassKind.PurchasePath, sale.Id, userId, lifetime),
            _time.GetUtcNow() + lifetime);
    }

    public void Dispose() => _buyerLimiter?.Dispose();

    /// <summary>
    /// The filter every buyer call passes: the block list, bans, the per-address bucket, the per-buyer bucket. A
    /// <c>rate_limited</c> here is a strike towards a ban: of the address from its bucket, of the buyer from theirs
    /// (so that one hammering account behind a shared address does not get its neighbours banned).
    /// </summary>
    private (Outcome Outcome, long RetryAfterMs)? Filter(HttpContext context, string saleId, string userId,
        AdmissionStrategy strategy)
    {
        if (Blocked(context, saleId, userId, strategy, out var banMs) is { } refused) return (refused, banMs);
        var ip = strategy.IpRate;
        if (ip.Enabled)
        {
            // The client address is resolved only when a check needs it (X-Forwarded-For parsing is not free).
            var key = (saleId, RateKey(AddressOf(context)));
            if (!_addressBuckets.TryTake(key, ip.PermitsPerSecond, ip.Burst, out var ipRetryMs))
            {
                if (strategy.AutoBan.Enabled) _addressStrikes.Strike(key, strategy.AutoBan);
                return (Outcome.RateLimited, ipRetryMs);
            }
        }

        if (_buyerLimiter is null) return null;
        using var lease = _buyerLimiter.AttemptAcquire(userId);
        if (lease.IsAcquired) return null;
        var retryMs = lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? (long)after.TotalMilliseconds
            : 1000;
        if (strategy.AutoBan.Enabled) _buyerStrikes.Strike((saleId, userId), strategy.AutoBan);
        return (Outcome.RateLimited, retryMs);
    }

    /// <summary>
    /// Counts the attempt for the challenge's rising difficulty, the gauge's only reader; a sale whose challenge does
    /// not rise costs nothing here.
    /// </summary>
    private void CountLoad(Sale sale)
    {
        var challenge = sale.Admission.Challenge;
        if (challenge.Enabled && challenge.RiseAbovePerSecond > 0) _load.Count(sale.Id);
    }

    /// <summary>The block list and the sale's bans (<c>blocked</c>, <c>banned</c>).</summary>
    private Outcome? Blocked(HttpContext context, string saleId, string userId, AdmissionStrategy strategy,
        out long retryAfterMs)
    {
        retryAfterMs = 0;
        var blocks = CurrentBlocks();
        if (!blocks.IsEmpty
            && blocks.IsBlocked(userId, AddressOf(context), _time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            return Outcome.Blocked;
        }

        if (!strategy.AutoBan.Enabled) return null;
        if (_buyerStrikes.IsBanned((saleId, userId), out retryAfterMs)) return Outcome.Banned;
        return _addressStrikes.IsBanned((saleId, RateKey(AddressOf(context))), out retryAfterMs)
            ? Outcome.Banned
            : null;
    }

    /// <summary>The block list compiled, rebuilt when the store's list is a new one.</summary>
    private BlockMatcher CurrentBlocks()
    {
        var blocks = Volatile.Read(ref _blocks);
        var source = _store.Blocks;
        if (ReferenceEquals(blocks.Source, source)) return blocks;
        blocks = new BlockMatcher(source);
        Volatile.Write(ref _blocks, blocks);
        return blocks;
    }

    /// <summary>The client address, resolved once per request.</summary>
    private UInt128 AddressOf(HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(ClientAddresses), out var known) && known is UInt128 address)
        {
            return address;
        }

        address = _addresses.Resolve(context);
        context.Items[typeof(ClientAddresses)] = address;
        return address;
    }

    /// <summary>
    /// The key an address's bucket and strikes are kept under: an IPv4 address, or an IPv6 address's /64 (one
    /// subscriber's whole network, which its owner can fill with addresses at will).
    /// </summary>
    private static UInt128 RateKey(UInt128 address) =>
        new IpRange(address, 128).IsV4 ? address : address & IpRange.Mask(64);

    private async ValueTask<Outcome?> Challenge(HttpContext context, Sale sale, string userId)
    {
        var headers = context.Request.Headers;
        var challenge = headers[ChallengeHeader];
        var solution = headers[SolutionHeader];
        if (challenge.Count == 0 && solution.Count == 0)
        {
            await RefuseChallenge(context, sale, userId, Outcome.ChallengeRequired, null);
            return Outcome.ChallengeRequired;
        }

        var pass = default(Pass);
        var check = challenge.Count == 1 && solution.Count == 1
            ? _proof.Check(challenge[0], solution[0], sale.Id, userId, out pass)
            : ChallengeCheck.Malformed;

        // Each solution is accepted once: the store remembers it until its challenge expires, on every gateway.
        if (check == ChallengeCheck.Valid)
        {
            if (await _store.TryUseOnceAsync(sale.Id, pass.Nonce, pass.ExpiresAtMs)) return null;
            check = ChallengeCheck.Replayed;
        }

        await RefuseChallenge(context, sale, userId, Outcome.ChallengeFailed, Reason(check));
        return Outcome.ChallengeFailed;
    }

    private static string Reason(ChallengeCheck check) => check switch
    {
        ChallengeCheck.BadSignature => "bad_signature",
        ChallengeCheck.WrongHolder => "wrong_holder",
        ChallengeCheck.Expired => "expired",
        ChallengeCheck.Unsolved => "unsolved",
        ChallengeCheck.Replayed => "replayed",
        _ => "malformed",
    };

    /// <summary>A challenge refusal carries a fresh challenge, so the buyer needs no extra round trip.</summary>
    private Task RefuseChallenge(HttpContext context, Sale sale, string userId, Outcome outcome, string? reason)
    {
        Count(sale.Id, outcome);
        var (challenge, difficulty, expiresAt) = IssueChallenge(sale, userId);
        var required = outcome == Outcome.ChallengeRequired;
        var detail = required
            ? "This sale needs a solved proof-of-work challenge: find n so that SHA-256(challenge + \":\" + n) starts "
                + "with difficulty zero bits, and send the challenge and n in the FlashSale-Challenge and "
                + "FlashSale-Solution headers."
            : $"The challenge solution was refused ({reason}); solve the new challenge in this answer.";
        return Problems.Write(context, StatusCodes.Status403Forbidden,
            required ? "Challenge required" : "Challenge failed", detail, writer =>
            {
                writer.WriteString("outcome", outcome.ToWord());
                if (reason is not null) writer.WriteString("reason", reason);
                WriteChallenge(writer, challenge, difficulty, expiresAt);
            });
    }

    /// <summary>The members of a challenge, in an answer or a refusal.</summary>
    public static void WriteChallenge(Utf8JsonWriter writer, string challenge, int difficulty,
        DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("challenge", challenge);
        writer.WriteNumber("difficulty", difficulty);
        writer.WriteString("algorithm", "sha256-leading-zero-bits");
        writer.WriteString("expiresAt", expiresAt);
    }

    private Task<Outcome?> Refuse(HttpContext context, string saleId, Outcome outcome, long retryAfterMs)
    {
        Count(saleId, outcome);
        if (outcome is Outcome.RateLimited or Outcome.Banned)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfterMs / 1000.0));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Write(context, outcome);

        static async Task<Outcome?> Write(HttpContext context, Outcome outcome)
        {
            await Problems.WriteOutcome(context, outcome);
            return outcome;
        }
    }

    private void Count(string saleId, Outcome outcome)
    {
        _store.CountOutcome(saleId, outcome);
        _metrics.CountRefusal(outcome);
    }
}
