namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>
/// One server with the default settings, shared by the tests of a class (each test uses its own sale ids and buyers).
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
