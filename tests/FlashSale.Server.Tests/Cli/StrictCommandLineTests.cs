using FlashSale.Crowd.Tokens;
using FlashSale.Server.Auth;
using FlashSale.Server.Hosting;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Cli;

/// <summary>
/// The command line is strict and says so briefly: an unknown option is an error on every verb, every parse error
/// exits 2 with a short message and a pointer to <c>--help</c>, and help reads as help.
/// </summary>
public sealed class StrictCommandLineTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _work = TempDirectory.Create("fs-strict");

    public void Dispose() => TempDirectory.Delete(_work);

    public static readonly TheoryData<string[]> Typos = new()
    {
        { new[] { "serve", "--demo", "--urls", "http://127.0.0.1:0", "--colour", "blue" } },
        { new[] { "token", "--demo", "--user", "bob", "--usrs", "bob" } },
        { new[] { "crowd", "--demo", "--usrs", "5" } },
        { new[] { "rehearse", "--usrs", "5" } },
        { new[] { "token", "--user", "bob", "--demo", "stray" } },
        { new[] { "crowd", "--users", "many" } },
        { new[] { "rehearse", "--FlashSale:AdminKey=x" } },
        { new[] { "serve", "--urls" } },
        { new[] { "srve" } },
    };

    [Theory]
    [MemberData(nameof(Typos))]
    public async Task A_parse_error_exits_2_with_a_short_message_and_a_pointer_to_help(string[] arguments)
    {
        var (exitCode, output) = await ServerProcess.RunAsync(_work, Deadline, arguments);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 2, 4);
        Assert.StartsWith("flashsale", lines[0], StringComparison.Ordinal);
        Assert.Contains("--help", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Options:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        foreach (var word in arguments.Where(a => a is "--colour" or "--usrs" or "stray" or "many" or "srve"))
        {
            Assert.Contains(word, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("token")]
    [InlineData("crowd")]
    [InlineData("rehearse")]
    public async Task Help_of_every_verb_exits_0_without_the_additional_arguments_line(string verb)
    {
        var (exitCode, output) = await ServerProcess.RunAsync(_work, Deadline, verb, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains($"flashsale {verb} [options]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("additional arguments", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[--]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_help_says_the_admin_key_and_token_secret_are_required_and_how_to_pass_them()
    {
        var (_, output) = await ServerProcess.RunAsync(_work, Deadline, "serve", "--help");

        Assert.Contains("required", output, StringComparison.Ordinal);
        foreach (var way in new[] { "FlashSale:AdminKey", "FlashSale:TokenSecret", "FlashSale__AdminKey",
            "--FlashSale:AdminKey=", "appsettings.json", "--demo" })
        {
            Assert.Contains(way, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Configuration_arguments_still_reach_the_verbs_that_read_configuration_in_both_spellings()
    {
        var (joined, joinedOutput) = await ServerProcess.RunAsync(_work, Deadline, "token", "--user", "dora",
            "--FlashSale:TokenSecret=" + TestServer.TokenSecret);
        var (spaced, spacedOutput) = await ServerProcess.RunAsync(_work, Deadline, "token", "--FlashSale:TokenSecret",
            TestServer.TokenSecret, "--user", "erin");

        Assert.True(joined == 0, joinedOutput);
        Assert.True(spaced == 0, spacedOutput);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal("dora", new BuyerTokens(TestServer.TokenSecret).UserOf(joinedOutput.Trim(), now));
        Assert.Equal("erin", new BuyerTokens(TestServer.TokenSecret).UserOf(spacedOutput.Trim(), now));
    }

    [Fact]
    public async Task The_token_verb_mints_what_the_minter_mints()
    {
        var (exitCode, output) = await ServerProcess.RunAsync(_work, Deadline, "token", "--user", "frank", "--ttl",
            "7d", "--demo");

        Assert.Equal(0, exitCode);
        var token = output.Trim();
        var exp = DateTimeOffset.UtcNow.AddDays(7);
        Assert.Equal("frank", new BuyerTokens(ServerApp.DemoTokenSecret).UserOf(token,
            exp.AddMinutes(-1).ToUnixTimeSeconds()));
        Assert.Null(new BuyerTokens(ServerApp.DemoTokenSecret).UserOf(token, exp.AddMinutes(1).ToUnixTimeSeconds()));
        var minted = new BuyerTokenMinter(ServerApp.DemoTokenSecret).Mint("frank",
            DateTimeOffset.FromUnixTimeSeconds(0));
        Assert.Equal(minted.Split('.')[0], token.Split('.')[0]);
    }
}
