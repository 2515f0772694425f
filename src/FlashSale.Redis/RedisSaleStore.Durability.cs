using System.Globalization;
using FlashSale.Redis.Replication;
using StackExchange.Redis;

namespace FlashSale.Redis;

public sealed partial class RedisSaleStore
{
    /// <summary>
    /// Reads <c>appendonly</c> and <c>appendfsync</c> (CONFIG GET) and the connected replicas (INFO replication) of
    /// every primary, and says whether acknowledged wins could be lost: by a crash or restart of a primary whose
    /// writes are not fsynced before the reply, or by a failover to a replica that had not received them yet
    /// (without <see cref="RedisStoreOptions.WaitReplicas"/>). CONFIG may be renamed or disabled: the settings then
    /// count as unknown, which is a risk. Never throws for Redis errors; meant to be logged at start.
    /// </summary>
    public async Task<DurabilityReport> CheckDurabilityAsync()
    {
        var warnings = new List<string>();
        var primaries = new List<string>();
        foreach (var endPoint in _connection.GetEndPoints())
        {
            var server = _connection.GetServer(endPoint);
            if (!server.IsConnected || server.IsReplica) continue;
            var (appendOnly, appendFsync, replicas, configError) = await ReadPersistenceAsync(endPoint);
            var replicaCount = replicas < 0 ? "unknown" : replicas.ToString(CultureInfo.InvariantCulture);
            primaries.Add($"{endPoint}: appendonly {appendOnly ?? "unknown"}, appendfsync {appendFsync ?? "unknown"}, "
                + $"{replicaCount} replicas connected");
            if (configError is not null)
            {
                warnings.Add($"{endPoint}: persistence settings unknown (CONFIG GET failed: {configError}); "
                    + "acknowledged wins may be lost if this primary crashes");
            }
            else if (!string.Equals(appendOnly, "yes", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"{endPoint}: appendonly is {appendOnly}: a crash or restart of this primary loses "
                    + "every acknowledged win since its last snapshot; set appendonly yes and appendfsync always");
            }
            else if (!string.Equals(appendFsync, "always", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"{endPoint}: appendfsync is {appendFsync}: a crash of this primary's host (power "
                    + "loss, kernel panic) loses the acknowledged wins not yet fsynced (up to about "
                    + (string.Equals(appendFsync, "everysec", StringComparison.OrdinalIgnoreCase)
                        ? "1 s" : "30 s, the OS's flush")
                    + " of them); set appendfsync always");
            }

            if (_options.WaitReplicas == 0 && replicas != 0)
            {
                warnings.Add($"{endPoint}: {(replicas < 0 ? "its replicas are unknown" : replicaCount + " replicas")}"
                    + " and WaitReplicas is 0: a failover to a replica loses the acknowledged wins it had not "
                    + "received yet, and sells their units again; set FlashSale:Redis:WaitReplicas to 1 or more");
            }

            if (_options.WaitReplicas > 0 && replicas >= 0 && replicas < _options.WaitReplicas)
            {
                var wanted = _options.WaitReplicas.ToString(CultureInfo.InvariantCulture);
                warnings.Add($"{endPoint}: {replicaCount} replicas connected but WaitReplicas is {wanted}: "
                    + "every purchase that wins answers busy until enough replicas connect");
            }
        }

        if (primaries.Count == 0) warnings.Add("no primary connected: persistence settings unknown");
        var canLose = warnings.Exists(w => !w.Contains("answers busy until", StringComparison.Ordinal));
        return new DurabilityReport(canLose, warnings, primaries);
    }

    /// <summary>
    /// CONFIG GET and INFO replication over a connection of its own: StackExchange.Redis runs them only in admin mode,
    /// which the store does not ask of its configuration. Replicas are -1 when unknown.
    /// </summary>
    private async Task<(string? AppendOnly, string? AppendFsync, int Replicas, string? Error)> ReadPersistenceAsync(
        System.Net.EndPoint endPoint)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.CommandTimeoutMs));
        try
        {
            await using var connection = await RespConnection.ConnectAsync(endPoint, _settings, timeout.Token);
            connection.Write("INFO", "replication");
            connection.Write("CONFIG", "GET", "append*");
            await connection.FlushAsync(timeout.Token);
            var info = await connection.ReadAsync(timeout.Token);
            var reply = await connection.ReadAsync(timeout.Token);
            var replicas = info.Resp2Type == ResultType.Error ? -1 : ConnectedReplicas(info.ToString());
            if (reply.Resp2Type == ResultType.Error) return (null, null, replicas, reply.ToString());
            string? appendOnly = null, appendFsync = null;
            var items = (RedisResult[])reply!;
            for (var i = 0; i + 1 < items.Length; i += 2)
            {
                var name = (string?)items[i];
                if (name == "appendonly") appendOnly = (string?)items[i + 1];
                else if (name == "appendfsync") appendFsync = (string?)items[i + 1];
            }

            return appendOnly is null || appendFsync is null
                ? (appendOnly, appendFsync, replicas, "no appendonly/appendfsync in the reply")
                : (appendOnly, appendFsync, replicas, null);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException
            or OperationCanceledException or InvalidDataException or InvalidCastException
            or System.Security.Authentication.AuthenticationException)
        {
            return (null, null, -1, e.Message);
        }
    }

    private static int ConnectedReplicas(string info)
    {
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("connected_slaves:", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(17).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }

        return -1;
    }
}
