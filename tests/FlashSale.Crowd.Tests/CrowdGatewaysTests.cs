using FlashSale.Crowd;

namespace FlashSale.Crowd.Tests;

/// <summary>
/// A crowd spread over several gateways (what <c>rehearse --redis --gateways N</c> asks of it): every connection sticks
/// to one gateway in turn, and the report says what each answered. Here the "gateways" are two addresses of one real
/// server, so the verification is the ordinary one.
/// </summary>
public sealed class CrowdGatewaysTests
{
    [Fact]
    public async Task A_crowd_over_two_gateways_sends_to_both_counts_each_and_passes_verification()
    {
        var (app, url, data) = await CrowdTestSupport.StartRealServerAsync();
        try
        {
            await CrowdTestSupport.CreateSaleAsync(url, "spread", DateTimeOffset.UtcNow.AddSeconds(-1), 1,
                ("phone", 40));
            var other = new UriBuilder(url) { Host = "localhost" }.Uri;
            using var runner = new CrowdRunner(
                CrowdTestSupport.Settings(url, "spread") with
                {
                    AdminKey = CrowdTestSupport.AdminKey,
                    Users = 200,
                    Connections = 8,
                    Gateways = [url, other],
                },
                CrowdTestSupport.Console(), TimeProvider.System);

            var result = await runner.RunAsync(CancellationToken.None);

            Assert.True(result.Verification.Passed, string.Join("\n", result.Verification.Checks));
            Assert.Equal(40, result.Buyers.Winners);
            var gateways = Assert.IsAssignableFrom<IReadOnlyList<GatewayShare>>(result.Run.Gateways);
            Assert.Equal([url.ToString(), other.ToString()], gateways.Select(g => g.Url));
            Assert.All(gateways, g => Assert.True(g.Answers > 0, $"{g.Url} answered nothing"));
            Assert.Equal(result.Requests, gateways.Sum(g => g.Answers));
        }
        finally
        {
            await app.DisposeAsync();
            CrowdTestSupport.DeleteQuietly(data);
        }
    }

    [Fact]
    public void Fewer_connections_than_gateways_is_refused()
    {
        var settings = CrowdTestSupport.Settings(new Uri("http://127.0.0.1:1/"), "s") with
        {
            Connections = 1,
            Gateways = [new Uri("http://127.0.0.1:1/"), new Uri("http://127.0.0.1:2/")],
        };

        Assert.Contains("--connections must be at least the number of gateways (2)", settings.Validate());
    }
}
