using System.Reflection;
using StackExchange.Redis;

namespace FlashSale.Redis.Scripts;

/// <summary>
/// One Lua script of the store, sent as EVALSHA. It is loaded with SCRIPT LOAD on every primary at start and again
/// whenever a primary answers NOSCRIPT (a restart, a failover, SCRIPT FLUSH), then the call is sent once more.
/// </summary>
internal sealed class StoreScript
{
    private readonly IConnectionMultiplexer _connection;
    private byte[]? _sha1;

    private StoreScript(IConnectionMultiplexer connection, string name, string text)
    {
        _connection = connection;
        Name = name;
        Text = text;
    }

    public string Name { get; }

    public string Text { get; }

    public static StoreScript FromResource(IConnectionMultiplexer connection, string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(
            $"FlashSale.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"script {name} is not embedded");
        using var reader = new StreamReader(stream);
        return new StoreScript(connection, name, reader.ReadToEnd());
    }

    /// <summary>Loads the script on every connected primary.</summary>
    public async Task LoadAsync()
    {
        byte[]? sha1 = null;
        foreach (var endPoint in _connection.GetEndPoints())
        {
            var server = _connection.GetServer(endPoint);
            if (!server.IsConnected || server.IsReplica) continue;
            sha1 = await server.ScriptLoadAsync(Text);
        }

        if (sha1 is null)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None,
                "no primary to load scripts on", null, CommandStatus.WaitingToBeSent);
        }

        Volatile.Write(ref _sha1, sha1);
    }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey key, RedisValue[] args)
    {
        if (Volatile.Read(ref _sha1) is null) await LoadAsync();
        try
        {
            return await database.ScriptEvaluateAsync(_sha1!, [key], args);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            await LoadAsync();
            return await database.ScriptEvaluateAsync(_sha1!, [key], args);
        }
    }
}
