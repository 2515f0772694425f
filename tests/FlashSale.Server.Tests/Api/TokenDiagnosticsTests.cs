using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FlashSale.Server.Api;
using FlashSale.Server.Auth;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Api;

/// <summary>A refused token is told why, the server logs why at Debug (throttled); <c>nbf</c> is honoured.</summary>
public sealed class TokenDiagnosticsTests
{
    [Fact]
    public async Task A_token_whose_nbf_has_come_is_accepted_and_one_before_its_nbf_is_refused_as_not_yet_valid()
    {
        await using var server = await TestServer.StartAsync();
        var sale = Ids.New("nbf");
        await server.CreateOpenSaleAsync(sale, stock: 5, perUserLimit: 5);
        var exp = Jws.Exp(TimeSpan.FromHours(1));

        // No leeway either way: nbf equal to the server's second is valid, one second after it is not yet.
        var minuteAgo = Jws.Exp(TimeSpan.FromMinutes(-1));
        using (var past = await server.PurchaseAsync(
            sale, Jws.Hs256($$"""{"sub":"early","exp":{{exp}},"nbf":{{minuteAgo}}}""")))
        {
            await HttpAssert.Won(past, sale, "early");
        }

        var current = Jws.Exp(TimeSpan.Zero);
        using (var now = await server.PurchaseAsync(
            sale, Jws.Hs256($$"""{"sub":"on-time","exp":{{exp}},"nbf":{{current}}}""")))
        {
            await HttpAssert.Won(now, sale, "on-time");
        }

        var later = Jws.Exp(TimeSpan.FromMinutes(2));
        using var future = await server.PurchaseAsync(
            sale, Jws.Hs256($$"""{"sub":"eager","exp":{{exp}},"nbf":{{later}}}"""));
        var problem = await HttpAssert.Problem(future, 401);
        Assert.Equal(Rejections.Describe(Rejection.TokenNotYetValid).Detail, (string?)problem["detail"]);
        Assert.Equal(2, (await server.ExportAsync(sale)).Count);
    }

    [Fact]
    public async Task Refused_tokens_are_logged_at_debug_with_their_reason_and_not_at_all_by_default()
    {
        await using var quiet = await TestServer.StartAsync();
        await using var verbose = await TestServer.StartAsync("--Logging:LogLevel:FlashSale.Server.Auth=Debug");
        var expired = Jws.Hs256($$"""{"sub":"late","exp":{{Jws.Exp(TimeSpan.FromMinutes(-1))}}}""");
        var forged = Jws.Hs256(
            $$"""{"sub":"late","exp":{{Jws.Exp(TimeSpan.FromMinutes(5))}}}""",
            secret: "another-secret-of-the-same-length-0123456789");
        foreach (var server in new[] { quiet, verbose })
        {
            foreach (var token in new[] { expired, expired, expired, forged })
            {
                using var response = await server.PurchaseAsync("any-sale", token);
                await HttpAssert.Problem(response, 401);
            }
        }

        static List<string> Lines(TestServer server) =>
            [.. server.Logs.Entries
                .Where(e => e.Category.StartsWith("FlashSale.Server.Auth", StringComparison.Ordinal))
                .Select(e => e.Message)];
        Assert.Empty(Lines(quiet));
        var lines = Lines(verbose);
        Assert.Contains(lines, line => line.StartsWith("Buyer token refused: expired", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Buyer token refused: bad signature", StringComparison.Ordinal));

        // Three expired tokens within a second or two: never more lines than refusals, and never a token in a line.
        Assert.InRange(lines.Count(line => line.Contains("expired", StringComparison.Ordinal)), 1, 3);
        Assert.DoesNotContain(lines, line => line.Contains(expired, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_401_of_every_buyer_endpoint_says_why()
    {
        await using var server = await TestServer.StartAsync();
        var sale = Ids.New("why");
        await server.CreateOpenSaleAsync(sale, stock: 1);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{sale}/reservation");
        var expired = server.TokenFor("late", TimeSpan.FromSeconds(-1));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await HttpAssert.Problem(response, 401);
        Assert.Equal("The buyer token has expired.", (string?)problem["detail"]);

        using var purchase = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{sale}/purchase")
        {
            Content = new StringContent("""{"itemId":"phone"}""", Encoding.UTF8, "application/json"),
        };
        using var missing = await server.Client.SendAsync(purchase);
        var detail = (string?)(await HttpAssert.Problem(missing, 401))["detail"];
        Assert.StartsWith("A buyer token is required", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_debug_log_of_refusals_writes_one_line_a_second_per_reason_with_the_count_left_out()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var logger = new ListLogger();
        var log = new TokenRejectionLog(logger, time);

        for (var i = 0; i < 5; i++) log.Refused(TokenRejection.Expired);
        log.Refused(TokenRejection.BadSignature);
        Assert.Equal(["expired 0", "bad signature 0"], logger.Lines);

        time.Advance(TimeSpan.FromMilliseconds(999));
        log.Refused(TokenRejection.Expired);
        Assert.Equal(2, logger.Lines.Count);

        time.Advance(TimeSpan.FromMilliseconds(1));
        log.Refused(TokenRejection.Expired);
        Assert.Equal(["expired 0", "bad signature 0", "expired 5"], logger.Lines);
    }

    /// <summary>Keeps "reason suppressed" of each line; Debug enabled.</summary>
    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            Assert.Equal(LogLevel.Debug, logLevel);
            var values = (IReadOnlyList<KeyValuePair<string, object?>>)state!;
            Lines.Add($"{values.First(v => v.Key == "Reason").Value} {values.First(v => v.Key == "Suppressed").Value}");
        }
    }
}
