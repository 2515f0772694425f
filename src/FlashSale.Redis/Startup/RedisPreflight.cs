using System.Globalization;
using StackExchange.Redis;

namespace FlashSale.Redis.Startup;

/// <summary>
/// What a gateway checks before it starts on Redis, on a short-lived admin connection of its own: that the
/// configuration string parses, that Redis answers, and, on a cluster, that every slot is served. Each failure is one
/// sentence saying what to fix; the server prints it and exits with code 2. The persistence settings are read once
/// the store is connected (<see cref="RedisSaleStore.CheckDurabilityAsync"/>), as warnings that do not stop the start.
/// </summary>
public static class RedisPreflight
{
    private const int SlotCount = 16384;

    /// <summary>
    /// Checks <paramref name="options"/>' Redis: why a gateway cannot start on it, and the risks found.
    /// </summary>
    public static async Task<RedisPreflightResult> CheckAsync(RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(options.Configuration);
        }
        catch (ArgumentException e)
        {
            return Refused($"FlashSale:Redis:Configuration '{options.Configuration}' is not a StackExchange.Redis "
                + $"configuration string: {e.Message}");
        }

        var where = string.Join(',', configuration.EndPoints.Select(EndPointText));
        if (configuration.EndPoints.Count == 0)
        {
            return Refused($"FlashSale:Redis:Configuration '{options.Configuration}' names no Redis endpoint "
                + "(e.g. 127.0.0.1:6379)");
        }

        configuration.AbortOnConnectFail = true;
        configuration.AllowAdmin = true;
        configuration.ConnectRetry = 1;
        configuration.ConnectTimeout = Math.Max(1000, options.CommandTimeoutMs);
        configuration.SyncTimeout = options.CommandTimeoutMs;
        configuration.AsyncTimeout = options.CommandTimeoutMs;
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        }
        catch (RedisConnectionException e)
        {
            return Refused($"cannot reach Redis at {where} ({e.FailureType}): check FlashSale:Redis:Configuration "
                + "(--redis) and that Redis is running");
        }

        await using (connection)
        {
            if (await CheckServersAsync(connection, where) is { } problem) return Refused(problem);
            return new RedisPreflightResult(null);
        }
    }

    private static RedisPreflightResult Refused(string problem) => new(problem);

    private static async Task<string?> CheckServersAsync(ConnectionMultiplexer connection, string where)
    {
        var primaries = 0;
        foreach (var server in connection.GetServers())
        {
            if (!server.IsConnected || server.IsReplica) continue;
            primaries++;
            if (server.ServerType != ServerType.Cluster) continue;
            string info;
            try
            {
                info = (string?)await server.ExecuteAsync("CLUSTER", "INFO") ?? "";
            }
            catch (Exception e) when (e is RedisException or RedisCommandException or TimeoutException)
            {
                return $"cannot read CLUSTER INFO from the Redis cluster node {server.EndPoint}: {e.Message}";
            }

            var state = Field(info, "cluster_state") ?? "unknown";
            var served = int.TryParse(Field(info, "cluster_slots_ok"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var ok) ? ok : 0;
            if (state != "ok" || served != SlotCount)
            {
                return $"the Redis cluster at {where} does not serve every slot (node {server.EndPoint}: "
                    + $"cluster_state:{state}, {served} of {SlotCount} slots ok): fix the cluster first "
                    + "(redis-cli --cluster check / fix)";
            }
        }

        return primaries == 0 ? $"Redis at {where} has no reachable primary (only replicas answer)" : null;
    }

    private static string? Field(string info, string name)
    {
        foreach (var raw in info.Split('\n'))
        {
            // Over RESP3, CLUSTER INFO is a verbatim string: its text starts with the format, "txt:".
            var line = raw.StartsWith("txt:", StringComparison.Ordinal) ? raw[4..] : raw;
            if (line.StartsWith(name + ":", StringComparison.Ordinal)) return line[(name.Length + 1)..].Trim();
        }

        return null;
    }

    private static string EndPointText(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "",
    };
}
