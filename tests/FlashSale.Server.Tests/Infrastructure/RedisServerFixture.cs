using FlashSale.Redis.Tests.Support;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>
/// A real standalone <c>redis-server</c> started for the tests of a class, and one gateway on it (the server in
/// cluster mode, <c>FlashSale:Redis:Configuration</c>): the contract tests' second store.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisProcess Redis { get; private set; } = null!;

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = RedisProcess.Start();
        Server = await TestServer.StartGatewayAsync(Redis.EndPoint);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Redis.Dispose();
    }
}
