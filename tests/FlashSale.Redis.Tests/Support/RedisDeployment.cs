namespace FlashSale.Redis.Tests.Support;

/// <summary>A running Redis deployment the tests connect gateways (stores) to.</summary>
public abstract class RedisDeployment : IDisposable
{
    /// <summary>The StackExchange.Redis configuration string of the deployment.</summary>
    public abstract string Configuration { get; }

    /// <summary>The primaries.</summary>
    public abstract IReadOnlyList<RedisProcess> Primaries { get; }

    public abstract void Dispose();
}
