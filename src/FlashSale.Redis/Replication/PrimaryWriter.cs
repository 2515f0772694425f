using System.Globalization;
using System.Net;
using System.Threading.Channels;
using StackExchange.Redis;

namespace FlashSale.Redis.Replication;

/// <summary>
/// The one writer of one primary's dedicated connection. It takes every script call queued for that primary, writes
/// them in order, then one <c>WAIT replicas timeout</c>, and reads the replies: WAIT answers for every write made
/// before it on this connection, so one WAIT confirms the whole round (a group commit to the replicas). Calls that
/// arrive meanwhile form the next round. A broken connection fails the round's calls as lost replies (the caller
/// resends them with the same batch ids) and the next round connects again.
/// </summary>
internal sealed class PrimaryWriter : IAsyncDisposable
{
    private const int MaxRound = 128;
    private readonly Channel<ReplicatedCall> _queue =
        Channel.CreateUnbounded<ReplicatedCall>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly EndPoint _endPoint;
    private readonly ConfigurationOptions _settings;
    private readonly string _script;
    private readonly string _sha1;
    private readonly RedisValue[] _wait;
    private readonly TimeSpan _roundTimeout;
    private readonly Action _moved;
    private readonly Task _loop;
    private RespConnection? _connection;

    public PrimaryWriter(EndPoint endPoint, ConfigurationOptions settings, string script, string sha1, int replicas,
        TimeSpan waitTimeout, TimeSpan commandTimeout, Action moved)
    {
        _endPoint = endPoint;
        _settings = settings;
        _script = script;
        _sha1 = sha1;
        var waitMs = Math.Max(1, (long)waitTimeout.TotalMilliseconds);
        _wait = ["WAIT", replicas, waitMs];
        _roundTimeout = waitTimeout + commandTimeout;
        _moved = moved;
        _loop = Task.Run(RunAsync);
    }

    public void Enqueue(ReplicatedCall call)
    {
        if (!_queue.Writer.TryWrite(call)) call.Fail(Lost("the writer has stopped", null));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        while (_queue.Reader.TryRead(out var call)) call.Fail(Lost("the writer has stopped", null));
        await DropAsync();
        _stop.Dispose();
    }

    private static RedisConnectionException Lost(string why, Exception? inner) =>
        new(ConnectionFailureType.SocketFailure, CommandFlags.None, "outcome unknown: " + why, inner,
            CommandStatus.Unknown);

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var round = new List<ReplicatedCall>(MaxRound);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                round.Clear();
                while (round.Count < MaxRound && reader.TryRead(out var call)) round.Add(call);
                await RunRoundAsync(round);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task RunRoundAsync(List<ReplicatedCall> round)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_roundTimeout);
        var answered = 0;
        try
        {
            var connection = _connection ??= await ConnectAsync(timeout.Token);
            foreach (var call in round) connection.Write(call.Command);
            connection.Write(_wait);
            await connection.FlushAsync(timeout.Token);
            var results = new RedisResult[round.Count];
            for (var i = 0; i < round.Count; i++) results[i] = await connection.ReadAsync(timeout.Token);
            var waited = await connection.ReadAsync(timeout.Token);
            var replicas = waited.Resp2Type == ResultType.Integer ? (long)waited : 0;
            var reload = false;
            for (; answered < round.Count; answered++)
            {
                var result = results[answered];
                if (result.Resp2Type != ResultType.Error)
                {
                    round[answered].Complete(new ReplicatedReply(result, replicas));
                    continue;
                }

                // Refused before it ran (the script is gone after a restart or failover, or the slot moved): nothing
                // was decided, so a resend is safe; any other error is the script's own.
                var message = result.ToString();
                if (message.StartsWith("NOSCRIPT", StringComparison.Ordinal)) reload = true;
                if (message.StartsWith("MOVED", StringComparison.Ordinal)
                    || message.StartsWith("ASK", StringComparison.Ordinal)
                    || message.StartsWith("READONLY", StringComparison.Ordinal))
                {
                    _moved();
                }

                round[answered].Fail(message.StartsWith("NOSCRIPT", StringComparison.Ordinal)
                    || message.StartsWith("MOVED", StringComparison.Ordinal)
                    || message.StartsWith("ASK", StringComparison.Ordinal)
                    || message.StartsWith("READONLY", StringComparison.Ordinal)
                    || message.StartsWith("LOADING", StringComparison.Ordinal)
                    ? Lost(message, null)
                    : new RedisServerException(RedisErrorKind.None, CommandFlags.None, message));
            }

            if (reload) await DropAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever broke (socket, TLS, a reply this reader does not parse), the loop must live on: the round's
            // outcomes are unknown and its calls are resent.
            await DropAsync();
            var why = e is OperationCanceledException ? "no reply in time" : "the connection broke";
            for (; answered < round.Count; answered++) round[answered].Fail(Lost(why, e));
        }
    }

    private async Task<RespConnection> ConnectAsync(CancellationToken cancel)
    {
        var connection = await RespConnection.ConnectAsync(_endPoint, _settings, cancel);
        try
        {
            connection.Write("SCRIPT", "LOAD", _script);
            await connection.FlushAsync(cancel);
            var loaded = await connection.ReadAsync(cancel);
            if (loaded.Resp2Type == ResultType.Error || !string.Equals(loaded.ToString(), _sha1,
                StringComparison.Ordinal))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"SCRIPT LOAD on {_endPoint} answered {loaded}"));
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null) await connection.DisposeAsync();
    }
}
