using System.Globalization;
using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests;

/// <summary>
/// The test assembly as a program: <c>gateway CONFIGURATION PREFIX SALE BUYERS</c> runs a gateway (a store client) with
/// a crowd on item a of the sale and prints <c>won &lt;id&gt; &lt;user&gt; &lt;item&gt;</c> for each win told, until
/// killed (see <see cref="GatewayChild"/>). The test runner does not use this entry point.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["gateway", var configuration, var prefix, var saleId, var buyers])
        {
            await Console.Error.WriteLineAsync("usage: gateway CONFIGURATION PREFIX SALE BUYERS");
            return 2;
        }

        var clock = TimeProvider.System;
        await using var store = await RedisSaleStore.ConnectAsync(new RedisStoreOptions
        {
            Configuration = configuration,
            KeyPrefix = prefix,
            RefreshInterval = TimeSpan.FromSeconds(1),
            ExpiryInterval = TimeSpan.Zero,
        }, clock);
        var output = Console.Out;
        var load = new BuyerLoad("child", won => output.WriteLine($"won {won.Id} {won.UserId} {won.ItemId}"));
        await load.RunAsync([store], saleId, "a", int.Parse(buyers, CultureInfo.InvariantCulture),
            CancellationToken.None);
        return 0;
    }
}
