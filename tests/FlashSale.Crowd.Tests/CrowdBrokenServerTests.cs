using FlashSale.Crowd;

namespace FlashSale.Crowd.Tests;

/// <summary>The crowd against test doubles that break the contract: verification fails and names the problem.</summary>
public sealed class CrowdBrokenServerTests
{
    [Fact]
    public async Task A_server_that_keeps_the_contract_passes()
    {
        var result = await RunAgainst(CrowdFault.None, stock: 10, users: 40, bots: 0.25);

        Assert.True(result.Verification.Passed, CrowdVerificationTests.Describe(result));
        Assert.Equal(10, result.Buyers.Winners);
    }

    [Fact]
    public async Task Overselling_fails_no_unit_oversold()
    {
        var result = await RunAgainst(CrowdFault.Oversell, stock: 10, users: 30);

        Assert.False(result.Verification.Passed);
        var check = CrowdVerificationTests.Check(result, CrowdVerifier.NoOversell);
        Assert.Equal(CheckStatus.Failed, check.Status);
        Assert.Contains("oversold", check.Detail, StringComparison.Ordinal);
        Assert.Contains("item-1: 30 units reserved", check.Detail, StringComparison.Ordinal);
        Assert.Contains("stock of 10", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_winner_missing_from_the_export_fails_every_won_is_in_the_export()
    {
        var result = await RunAgainst(CrowdFault.DropWinnerFromExport, stock: 10, users: 30);

        Assert.False(result.Verification.Passed);
        var check = CrowdVerificationTests.Check(result, CrowdVerifier.WinsExported);
        Assert.Equal(CheckStatus.Failed, check.Status);
        Assert.Contains("1 won answer is missing from the export: r-1", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Won_twice_to_one_buyer_fails_nobody_over_the_limit()
    {
        // Bots click again after winning; this server lets them win again.
        var result = await RunAgainst(CrowdFault.WonTwice, stock: 100, users: 5, bots: 1);

        Assert.False(result.Verification.Passed);
        var check = CrowdVerificationTests.Check(result, CrowdVerifier.WithinLimit);
        Assert.Equal(CheckStatus.Failed, check.Status);
        Assert.Contains("was told won 4 times", check.Detail, StringComparison.Ordinal);
        Assert.Contains("holds 4 live reservations in the export", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crowd_command_exits_non_zero_when_a_check_fails()
    {
        await using var server = await CrowdBrokenServer.StartAsync(CrowdFault.Oversell, stock: 5);
        var settings = CrowdTestSupport.Settings(server.Url, CrowdBrokenServer.SaleId) with
        {
            AdminKey = CrowdTestSupport.AdminKey,
            Users = 12,
            Connections = 3,
        };

        var exit = await CrowdVerbs.CrowdAsync(settings, TimeProvider.System, CancellationToken.None);

        Assert.Equal(CrowdVerbs.ChecksFailed, exit);
    }

    private static async Task<CrowdResult> RunAgainst(CrowdFault fault, int stock, int users, double bots = 0)
    {
        await using var server = await CrowdBrokenServer.StartAsync(fault, stock);
        using var runner = new CrowdRunner(
            CrowdTestSupport.Settings(server.Url, CrowdBrokenServer.SaleId) with
            {
                AdminKey = CrowdTestSupport.AdminKey,
                Users = users,
                Connections = 4,
                Bots = bots,
            },
            CrowdTestSupport.Console(), TimeProvider.System);
        return await runner.RunAsync(CancellationToken.None);
    }
}
