using System.Net;
using System.Net.Sockets;
using System.Text;
using Paxuby.Server.Sessions;

namespace Paxuby.Server.Tests;

/// <summary>A client that sends raw bytes and reads whole RESP replies, to check the exact wire format.</summary>
public sealed class RawClient : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private byte[] _pending = [];

    public RawClient(IPEndPoint endpoint)
    {
        _tcp = new TcpClient();
        _tcp.NoDelay = true;
        _tcp.Connect(endpoint);
        _stream = _tcp.GetStream();
    }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public void Send(byte[] bytes) => _stream.Write(bytes);

    /// <summary>Sends a command as a RESP array of bulk strings.</summary>
    public void SendCommand(params string[] args) => Send(Encode(args));

    public static byte[] Encode(params string[] args)
    {
        var text = new StringBuilder();
        text.Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args) text.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Sends a command and returns its reply's exact bytes as text.</summary>
    public string Call(params string[] args)
    {
        SendCommand(args);
        return ReadReply();
    }

    /// <summary>Reads one whole reply of any type.</summary>
    public string ReadReply()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            int length = WholeReplyLength(_pending);
            if (length > 0)
            {
                string reply = Encoding.UTF8.GetString(_pending, 0, length);
                _pending = _pending[length..];
                return reply;
            }
            var chunk = new byte[64 * 1024];
            int read = _stream.ReadAsync(chunk, timeout.Token).AsTask().GetAwaiter().GetResult();
            if (read == 0) throw new EndOfStreamException("server closed the connection; unread: " + Encoding.UTF8.GetString(_pending));
            _pending = [.. _pending, .. chunk.AsSpan(0, read)];
        }
    }

    /// <summary>True when the server closes the connection (after sending whatever it had).</summary>
    public bool IsClosedByServer()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                int read = _stream.ReadAsync(chunk, timeout.Token).AsTask().GetAwaiter().GetResult();
                if (read == 0) return true;
                _pending = [.. _pending, .. chunk.AsSpan(0, read)];
            }
        }
        catch (IOException)
        {
            return true;
        }
    }

    public string Unread => Encoding.UTF8.GetString(_pending);

    private static int WholeReplyLength(byte[] buffer)
    {
        if (buffer.Length == 0) return 0;
        try
        {
            int offset = 0;
            ReplySplitter.Skip(buffer, ref offset);
            return offset <= buffer.Length ? offset : 0;
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
