using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FlashSale.Server.Auth;
using FlashSale.Server.Hosting;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Cli;

/// <summary>The executable's verbs as a user meets them: <c>serve</c>, <c>serve --demo</c>, <c>token</c>.</summary>
public sealed partial class CliTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _work = TempDirectory.Create("fs-cli");

    public void Dispose() => TempDirectory.Delete(_work);

    [Fact]
    public async Task Serve_without_admin_key_and_token_secret_refuses_to_start_with_a_clear_message()
    {
        var (exitCode, output) = await ServerProcess.RunAsync(_work, Deadline, "serve", "--urls", "http://127.0.0.1:0",
            "--data", Path.Combine(_work, "data"));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("FlashSale:AdminKey is required", output, StringComparison.Ordinal);
        Assert.Contains("FlashSale:TokenSecret is required", output, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_a_short_secret_or_an_unknown_argument_refuses_to_start()
    {
        var (shortSecret, output) = await ServerProcess.RunAsync(_work, Deadline, "serve", "--urls",
            "http://127.0.0.1:0", "--data", Path.Combine(_work, "data"),
            "--FlashSale:AdminKey=" + TestServer.AdminKeyValue, "--FlashSale:TokenSecret=short");
        Assert.NotEqual(0, shortSecret);
        Assert.Contains("TokenSecret must be at least 32 bytes", output, StringComparison.Ordinal);

        var (unknown, unknownOutput) = await ServerProcess.RunAsync(_work, Deadline, "serve", "--demo", "--colour",
            "blue");
        Assert.NotEqual(0, unknown);
        Assert.Contains("--colour", unknownOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_demo_prints_a_walkthrough_that_works_as_printed_with_tokens_from_the_token_verb()
    {
        await using var server = ServerProcess.Start(_work, "serve", "--demo", "--urls", "http://127.0.0.1:0");
        try
        {
            var banner = await server.WaitForOutputAsync(DemoBanner(), Deadline);
            Assert.Contains(ServerApp.DemoAdminKey, banner, StringComparison.Ordinal);
            Assert.Contains(ServerApp.DemoTokenSecret, banner, StringComparison.Ordinal);
            var printedToken = TokenLine().Match(banner).Groups[1].Value;
            var commands = banner.Split('\n').Select(l => l.Trim()).Where(
                l => l.StartsWith("curl ", StringComparison.Ordinal)).ToList();
            Assert.Equal(5, commands.Count);

            // Every printed command, run as printed (curl emulated): none is refused for auth, path or input.
            foreach (var command in commands)
            {
                var (status, body) = await Curl.Run(command,
                    new Dictionary<string, string> { ["TOKEN"] = printedToken });
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created or (HttpStatusCode)425,
                    $"{command}\n=> {(int)status} {body}");
                if (command.Contains("/purchase", StringComparison.Ordinal))
                {
                    Assert.Contains(
                    status == (HttpStatusCode)425 ? "not_started" : "won", body, StringComparison.Ordinal);
                }

                if (command.Contains("format=csv", StringComparison.Ordinal))
                    Assert.StartsWith("id,saleId,itemId,userId", body, StringComparison.Ordinal);
            }

            // `token --demo` mints tokens the demo server takes.
            var (exitCode, tokenOutput) = await ServerProcess.RunAsync(_work, Deadline, "token", "--user", "bob",
                "--demo");
            Assert.Equal(0, exitCode);
            var bob = tokenOutput.Trim();
            Assert.Equal("bob",
                new BuyerTokens(ServerApp.DemoTokenSecret).UserOf(bob, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            var address = ListeningUrl().Match(server.Output).Groups[1].Value;
            var (reservationStatus, reservations) =
                await Curl.Run($"curl -s -H \"Authorization: Bearer $TOKEN\" {address}/api/sales/demo/reservation",
                new Dictionary<string, string> { ["TOKEN"] = bob });
            Assert.Equal(HttpStatusCode.OK, reservationStatus);
            Assert.Equal("[]", reservations);
        }
        finally
        {
            if (DataDirectory().Match(server.Output) is { Success: true } data)
                TempDirectory.Delete(data.Groups[1].Value);
        }
    }

    [Fact]
    public async Task Token_mints_with_the_configured_secret_and_refuses_without_one()
    {
        var (exitCode, output) = await ServerProcess.RunAsync(_work, Deadline, "token", "--user", "carol", "--ttl",
            "90s", "--FlashSale:TokenSecret=" + TestServer.TokenSecret);
        Assert.Equal(0, exitCode);
        var token = output.Trim();
        Assert.Equal("carol",
            new BuyerTokens(TestServer.TokenSecret).UserOf(token, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Null(new BuyerTokens(TestServer.TokenSecret).UserOf(token,
            DateTimeOffset.UtcNow.AddSeconds(91).ToUnixTimeSeconds()));

        var (noSecret, noSecretOutput) = await ServerProcess.RunAsync(_work, Deadline, "token", "--user", "carol");
        Assert.NotEqual(0, noSecret);
        Assert.Contains("TokenSecret", noSecretOutput, StringComparison.Ordinal);

        var (badTtl, _) = await ServerProcess.RunAsync(_work, Deadline, "token", "--user", "carol", "--ttl", "soon",
            "--demo");
        Assert.NotEqual(0, badTtl);
    }

    [GeneratedRegex(@"=+ FlashSale demo =+.*?\n\s*=+\s*\n", RegexOptions.Singleline)]
    private static partial Regex DemoBanner();

    [GeneratedRegex(@"TOKEN=(\S+)")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"listening on (http://[0-9.:]+)")]
    private static partial Regex ListeningUrl();

    [GeneratedRegex(@"data in (\S+),")]
    private static partial Regex DataDirectory();

    /// <summary>
    /// Runs the printed <c>curl</c> lines (-s, -X, -H, -d, URL; shell quotes and $VARS) with HttpClient, so no curl is
    /// needed.
    /// </summary>
    private static class Curl
    {
        public static async Task<(HttpStatusCode Status, string Body)> Run(string command,
            IReadOnlyDictionary<string, string> variables)
        {
            var words = Split(command, variables);
            Assert.Equal("curl", words[0]);
            var method = HttpMethod.Get;
            var headers = new List<(string, string)>();
            string? data = null, url = null;
            for (var i = 1; i < words.Count; i++)
            {
                switch (words[i])
                {
                    case "-s":
                        break;
                    case "-X":
                        method = new HttpMethod(words[++i]);
                        break;
                    case "-H":
                        var header = words[++i];
                        var colon = header.IndexOf(':', StringComparison.Ordinal);
                        headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                        break;
                    case "-d":
                        data = words[++i];
                        if (method == HttpMethod.Get) method = HttpMethod.Post;
                        break;
                    default:
                        Assert.False(words[i].StartsWith('-'), $"unknown curl option {words[i]}");
                        url = words[i];
                        break;
                }
            }

            using var client = new HttpClient();
            using var request = new HttpRequestMessage(method, url);
            if (data is not null) request.Content = new StringContent(data, Encoding.UTF8);
            foreach (var (name, value) in headers)
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(value);
                else request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        private static List<string> Split(string command, IReadOnlyDictionary<string, string> variables)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            var inWord = false;
            for (var i = 0; i < command.Length; i++)
            {
                var c = command[i];
                if (c == '\'')
                {
                    var end = command.IndexOf('\'', i + 1);
                    word.Append(command, i + 1, end - i - 1);
                    i = end;
                    inWord = true;
                }
                else if (c == '"')
                {
                    var end = command.IndexOf('"', i + 1);
                    word.Append(Expand(command[(i + 1)..end], variables));
                    i = end;
                    inWord = true;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                else
                {
                    var next = command.IndexOfAny([' ', '\'', '"'], i);
                    if (next < 0) next = command.Length;
                    word.Append(Expand(command[i..next], variables));
                    i = next - 1;
                    inWord = true;
                }
            }

            if (inWord) words.Add(word.ToString());
            return words;
        }

        private static string Expand(string text, IReadOnlyDictionary<string, string> variables) =>
            Regex.Replace(text, @"\$([A-Z_]+)", m => variables.TryGetValue(m.Groups[1].Value,
                out var value) ? value : throw new Xunit.Sdk.XunitException($"unknown variable {m.Value}"));
    }
}
