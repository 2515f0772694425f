using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace FlashSale.Redis.Replication;

/// <summary>
/// One plain RESP2 connection to one Redis server, outside StackExchange.Redis's multiplexer: <c>WAIT</c> counts the
/// replication offset of its own connection's writes and blocks that connection, so it needs a connection whose every
/// command this process chose, in order. Not thread-safe: one writer owns it. Any failure leaves it broken (dispose
/// it); the outcome of commands written but not answered is unknown.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _read = new byte[64 * 1024];
    private readonly MemoryStream _write = new();
    private int _start;
    private int _end;

    private RespConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>
    /// Connects to <paramref name="endPoint"/> with the credentials and TLS settings of <paramref name="settings"/>.
    /// </summary>
    public static async Task<RespConnection> ConnectAsync(EndPoint endPoint, ConfigurationOptions settings,
        CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancel);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (settings.Ssl)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                var host = settings.SslHost ?? endPoint switch
                {
                    DnsEndPoint dns => dns.Host,
                    IPEndPoint ip => ip.Address.ToString(),
                    _ => "",
                };
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancel);
                stream = tls;
            }

            var connection = new RespConnection(socket, stream);
            if (!string.IsNullOrEmpty(settings.Password))
            {
                if (string.IsNullOrEmpty(settings.User)) connection.Write("AUTH", settings.Password);
                else connection.Write("AUTH", settings.User, settings.Password);
                await connection.FlushAsync(cancel);
                var auth = await connection.ReadAsync(cancel);
                if (auth.Resp2Type == ResultType.Error) throw new InvalidDataException("AUTH refused: " + auth);
            }

            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Queues one command (flushed by <see cref="FlushAsync"/>).</summary>
    public void Write(params RedisValue[] parts)
    {
        WriteHeader('*', parts.Length);
        foreach (var part in parts)
        {
            var bytes = (byte[]?)part ?? [];
            WriteHeader('$', bytes.Length);
            _write.Write(bytes);
            _write.Write("\r\n"u8);
        }
    }

    public async Task FlushAsync(CancellationToken cancel)
    {
        await _stream.WriteAsync(_write.GetBuffer().AsMemory(0, (int)_write.Length), cancel);
        await _stream.FlushAsync(cancel);
        _write.SetLength(0);
    }

    /// <summary>
    /// Reads one reply. An error reply is returned as a <see cref="RedisResult"/> error (it does not break the
    /// connection); a broken stream throws.
    /// </summary>
    public async Task<RedisResult> ReadAsync(CancellationToken cancel)
    {
        var line = await ReadLineAsync(cancel);
        var text = Encoding.UTF8.GetString(line.AsSpan(1));
        switch ((char)line[0])
        {
            case '+':
                return RedisResult.Create(new RedisValue(text), ResultType.SimpleString);
            case '-':
                return RedisResult.Create(new RedisValue(text), ResultType.Error);
            case ':':
                return RedisResult.Create(long.Parse(text, CultureInfo.InvariantCulture));
            case '$':
                var length = int.Parse(text, CultureInfo.InvariantCulture);
                if (length < 0) return RedisResult.Create(RedisValue.Null);
                var bytes = await ReadExactAsync(length + 2, cancel);
                return RedisResult.Create((RedisValue)bytes.AsSpan(0, length).ToArray());
            case '*':
                var count = int.Parse(text, CultureInfo.InvariantCulture);
                if (count < 0) return RedisResult.Create(RedisValue.Null);
                var items = new RedisResult[count];
                for (var i = 0; i < count; i++) items[i] = await ReadAsync(cancel);
                return RedisResult.Create(items);
            default:
                throw new InvalidDataException("not a RESP2 reply: " + text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
            // Already broken.
        }

        _socket.Dispose();
        await _write.DisposeAsync();
    }

    private void WriteHeader(char kind, int count)
    {
        Span<byte> header = stackalloc byte[16];
        header[0] = (byte)kind;
        Utf8Formatter.TryFormat(count, header[1..], out var written);
        header[1 + written] = (byte)'\r';
        header[2 + written] = (byte)'\n';
        _write.Write(header[..(3 + written)]);
    }

    private async Task<byte[]> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            var newline = _read.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = _read.AsSpan(_start, newline).ToArray();
                _start += newline + 2;
                if (line.Length == 0) throw new InvalidDataException("empty RESP line");
                return line;
            }

            await FillAsync(cancel);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancel)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end) await FillAsync(cancel);
            var take = Math.Min(count - copied, _end - _start);
            _read.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            _read.AsSpan(_start, _end - _start).CopyTo(_read);
            _end -= _start;
            _start = 0;
        }

        if (_end == _read.Length) throw new InvalidDataException("RESP line longer than the read buffer");
        var read = await _stream.ReadAsync(_read.AsMemory(_end), cancel);
        if (read == 0) throw new IOException("Redis closed the connection");
        _end += read;
    }
}
