using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Paxuby.Bench.Load;

/// <summary>
/// A raw RESP connection for load: the caller writes N commands at once and reads N replies,
/// which are only counted and checked for errors. Buffers are reused, so the steady state
/// allocates nothing.
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _receive = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RespConnection(Socket socket) => _socket = socket;

    /// <summary>Replies that were RESP errors (<c>-ERR …</c>); the first one is kept for the report.</summary>
    public long ErrorReplies { get; private set; }

    public string? FirstError { get; private set; }

    public static async Task<RespConnection> ConnectAsync(IPEndPoint endpoint, CancellationToken cancel)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancel);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RespConnection(socket);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, cancel);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Waits for the next complete reply; the bytes stay valid until the next read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadReplyAsync(CancellationToken cancel)
    {
        while (true)
        {
            int length = RespReplyScanner.Scan(_receive.AsSpan(_start, _end - _start));
            if (length > 0)
            {
                ReadOnlyMemory<byte> reply = _receive.AsMemory(_start, length);
                _start += length;
                if (reply.Span[0] == (byte)'-') NoteError(reply.Span);
                return reply;
            }
            MakeRoom();
            int received = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, cancel);
            if (received == 0) throw new IOException("the server closed the connection");
            _end += received;
        }
    }

    /// <summary>Sends one command and returns its reply as text (for INFO and probes, not for load).</summary>
    public async Task<string> CallAsync(string[] args, CancellationToken cancel)
    {
        var command = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }
        await SendAsync(Encoding.UTF8.GetBytes(command.ToString()), cancel);
        ReadOnlyMemory<byte> reply = await ReadReplyAsync(cancel);
        return Encoding.UTF8.GetString(reply.Span);
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_receive, _start, _receive, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _receive.Length) Array.Resize(ref _receive, _receive.Length * 2);
    }

    private void NoteError(ReadOnlySpan<byte> reply)
    {
        ErrorReplies++;
        FirstError ??= Encoding.UTF8.GetString(reply.TrimEnd("\r\n"u8));
    }

    public void Dispose() => _socket.Dispose();
}
