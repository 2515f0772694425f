using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FlashSale.Crowd.Tokens;
using FlashSale.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

// The helper of bench/http-compare.sh:
//   mint        --secret S --users N --out FILE        N buyer tokens (bench-00000 ...) as a Lua table for wrk
//   setup       --url U --admin-key K --secret S --users N   (also a cluster-mode gateway: bench/cluster-compare.sh)
//               sales a (plenty of stock), b (sold out), c (every buyer already won)
//   stats       --url U --admin-key K --sale ID        the sale's answers by outcome, one line
//   token-cost  --secret S                             cost of one BuyerTokens.Validate, and of the reference library
var arguments = Arguments.Parse(args);
#pragma warning disable RS0030 // composition root: the one place that picks the system clock
var clock = TimeProvider.System;
#pragma warning restore RS0030
return arguments.Command switch
{
    "mint" => Mint(arguments, clock),
    "setup" => await Setup(arguments, clock),
    "stats" => await Stats(arguments),
    "token-cost" => await TokenCost(arguments, clock),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(
        "usage: HttpCompare mint|setup|stats|token-cost [--option value ...] (see bench/http-compare.sh)");
    return 2;
}

static string User(int i) => $"bench-{i:D5}";

static List<string> Tokens(string secret, int users, TimeProvider clock)
{
    var tokens = new BuyerTokenMinter(secret);
    var expires = clock.GetUtcNow().AddHours(2);
    return [.. Enumerable.Range(0, users).Select(i => tokens.Mint(User(i), expires))];
}

static int Mint(Arguments a, TimeProvider clock)
{
    var text = new StringBuilder("return {\n");
    foreach (var token in Tokens(a["secret"], a.Int("users"), clock)) text.Append('"').Append(token).Append("\",\n");
    text.Append("}\n");
    File.WriteAllText(a["out"], text.ToString());
    return 0;
}

static HttpClient Admin(Arguments a)
{
    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
    {
        BaseAddress = new Uri(a["url"]),
        Timeout = TimeSpan.FromSeconds(60),
    };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", a["admin-key"]);
    return client;
}

static async Task<int> Setup(Arguments a, TimeProvider clock)
{
    var users = a.Int("users");
    using var client = Admin(a);

    // Opening in a few seconds rather than "now", so that the same setup works on builds from before "now" existed
    // (FLASHSALE_DLL measures another build); fifteen, as a loaded machine took over five to create three sales.
    var startsAt = clock.GetUtcNow().AddSeconds(15);
    async Task Create(string id, int stock, int perUserLimit)
    {
        using var response = await client.PostAsJsonAsync("/admin/sales", new
        {
            id,
            name = "Bench " + id,
            startsAt,
            perUserLimit,
            items = new[] { new { id = "phone", name = "Phone", price = 1m, stock } },
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"create {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    // (a) plenty of stock, and a per-buyer limit no one reaches, so that every attempt is a real win.
    await Create("a", 50_000_000, 1_000_000);

    // (b) sold out by the buyers themselves; (c) every buyer has won once and units are left, so their repeats are
    // decided by their shard (limit_reached), not by the sold-out flag.
    await Create("b", users / 2, 1);
    await Create("c", users * 2, 1);
    var wait = startsAt - clock.GetUtcNow();
    if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(50));
    var tokens = Tokens(a["secret"], users, clock);
    foreach (var sale in new[] { "b", "c" })
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64 };
        await Parallel.ForEachAsync(tokens, parallel, async (token, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
            {
                Content = new StringContent(
                    """{"itemId":"phone","requestId":"warm"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, cancellationToken);
        });
    }

    // A cluster-mode gateway's sale state may lag its writes by a moment (it refreshes every second): look again
    // for a few seconds before calling the setup failed.
    JsonNode b, c;
    var settleUntil = clock.GetUtcNow().AddSeconds(5);
    while (true)
    {
        b = JsonNode.Parse(await client.GetStringAsync("/admin/sales/b"))!;
        c = JsonNode.Parse(await client.GetStringAsync("/admin/sales/c"))!;
        var settled = (string?)b["state"] == "sold_out" && (long)c["stats"]!["won"]! == users;
        if (settled || clock.GetUtcNow() > settleUntil) break;
        await Task.Delay(100);
    }

    if ((string?)b["state"] != "sold_out") throw new InvalidOperationException("sale b did not sell out");
    if ((long)c["stats"]!["won"]! != users)
    {
        throw new InvalidOperationException(
            $"sale c: {c["stats"]!["won"]} won, expected every one of {users} buyers");
    }

    Console.WriteLine(
        $"sales a (open), b ({b["state"]}), " +
        $"c ({c["stats"]!["won"]} buyers hold a unit, {c["items"]![0]!["remaining"]} left) ready");
    return 0;
}

static async Task<int> Stats(Arguments a)
{
    using var client = Admin(a);
    var sale = JsonNode.Parse(await client.GetStringAsync($"/admin/sales/{a["sale"]}"))!;
    var outcomes = sale["stats"]!["outcomes"]!.AsObject()
        .Where(o => (long)o.Value! > 0)
        .Select(o => $"{o.Key}={o.Value}");
    Console.WriteLine(string.Join(' ', outcomes));
    return 0;
}

static async Task<int> TokenCost(Arguments a, TimeProvider clock)
{
    var secret = a["secret"];
    var tokens = Tokens(secret, 1024, clock);
    var validator = new BuyerTokens(secret);
    var now = clock.GetUtcNow().ToUnixTimeSeconds();

    // Warm up (tiered JIT to its optimized code), then time; allocation per call from the thread's counter.
    for (var i = 0; i < 300_000; i++) validator.Validate(tokens[i & 1023], now, out _);
    const int Calls = 2_000_000;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var stopwatch = Stopwatch.StartNew();
    var valid = 0;
    for (var i = 0; i < Calls; i++)
    {
        if (validator.Validate(tokens[i & 1023], now, out _) == TokenRejection.None) valid++;
    }

    stopwatch.Stop();
    var perCall = stopwatch.Elapsed.TotalNanoseconds / Calls;
    var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)Calls;
    if (valid != Calls) throw new InvalidOperationException("a token did not validate");

    // The same check with the reference library, for scale.
    var handler = new JsonWebTokenHandler();
    var parameters = new TokenValidationParameters
    {
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
        ValidateIssuer = false,
        ValidateAudience = false,
        ClockSkew = TimeSpan.Zero,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
    };
    for (var i = 0; i < 20_000; i++) await handler.ValidateTokenAsync(tokens[i & 1023], parameters);
    const int LibraryCalls = 200_000;
    var libraryWatch = Stopwatch.StartNew();
    for (var i = 0; i < LibraryCalls; i++)
    {
        if (!(await handler.ValidateTokenAsync(tokens[i & 1023], parameters)).IsValid)
        {
            throw new InvalidOperationException("library refused a token");
        }
    }

    libraryWatch.Stop();
    var libraryPerCall = libraryWatch.Elapsed.TotalNanoseconds / LibraryCalls;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"BuyerTokens.Validate: {perCall / 1000:0.00} us per call, {bytes:0} bytes allocated per call " +
        $"({1e9 / perCall:N0} validations/s on one core); " +
        $"JsonWebTokenHandler.ValidateTokenAsync: {libraryPerCall / 1000:0.00} us per call"));
    return 0;
}

/// <summary><c>command --name value ...</c></summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Command { get; private init; } = "";

    public string this[string name] =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public int Int(string name) => int.Parse(this[name], CultureInfo.InvariantCulture);

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments { Command = args.Length > 0 ? args[0] : "" };
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name value, got {args[i]}");
            }

            parsed._values[args[i][2..]] = args[i + 1];
        }

        return parsed;
    }
}
