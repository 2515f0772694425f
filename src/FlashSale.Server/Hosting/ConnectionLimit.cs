using System.Globalization;
using System.Text;
using FlashSale.Server.Api;
using Microsoft.AspNetCore.Connections;

namespace FlashSale.Server.Hosting;

/// <summary>
/// <c>FlashSale:Connections:MaxConcurrentConnections</c> as a connection middleware. Kestrel's own limit closes a
/// connection beyond it without a word (the client sees the connection reset or closed before any answer); this one
/// answers such a connection <c>503</c> problem+json with <c>Retry-After</c> and <c>Connection: close</c>, reads
/// (and drops) what the client sent for up to a second so that closing does not reset the answer away, and closes
/// it. The answer is cleartext HTTP/1.1: FlashSale listens without TLS (TLS ends at the load balancer).
/// </summary>
internal sealed class ConnectionLimit(int limit, int retryAfterSeconds)
{
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(1);

    private readonly byte[] _refusal = Refusal(limit, retryAfterSeconds);
    private int _open;
    private long _refused;

    /// <summary>Connections refused since the start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections open now (counted by this middleware).</summary>
    public int Open => Volatile.Read(ref _open);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > limit)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _refused);
            await RefuseAsync(connection);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };

    private async Task RefuseAsync(ConnectionContext connection)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(_refusal);
            using var drain = new CancellationTokenSource(DrainTime);
            var input = connection.Transport.Input;
            while (true)
            {
                var read = await input.ReadAsync(drain.Token);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            // The client went away or kept sending: it has its answer either way.
        }
    }

    private static byte[] Refusal(int limit, int retryAfterSeconds)
    {
        var body = Problems.Build(StatusCodes.Status503ServiceUnavailable, "Too many connections",
            string.Create(CultureInfo.InvariantCulture,
                $"The server holds its limit of {limit} open connections; retry after the time in Retry-After."),
            static writer => writer.WriteString("outcome", "busy"));
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: {Problems.ContentType}\r\n" +
            $"Content-Length: {body.Length}\r\nRetry-After: {retryAfterSeconds}\r\nConnection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
