using System.Net.Sockets;
using System.Text;

namespace Paxuby.Cache.Tests;

/// <summary>
/// A fact that runs only when a real Redis 7.0 is reachable: set PAXUBY_REDIS_PORT to the port of
/// a disposable redis-server (the tests flush it). Without it the parity tests are skipped.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisConnection.Port is null) Skip = "set PAXUBY_REDIS_PORT to compare with a real Redis";
    }
}

/// <summary>
/// The tests that use the one disposable Redis flush it: they share this collection, so xUnit runs
/// them one at a time and no test's flush lands in the middle of another's sequence.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedRedisCollection
{
    public const string Name = "shared Redis";
}

/// <summary>A bare RESP connection that returns each reply's exact bytes.</summary>
public sealed class RedisConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly BufferedStream _stream;

    public RedisConnection()
    {
        _client = new TcpClient("127.0.0.1", Port ?? throw new InvalidOperationException("no Redis port"));
        _stream = new BufferedStream(_client.GetStream());
    }

    public static int? Port =>
        int.TryParse(Environment.GetEnvironmentVariable("PAXUBY_REDIS_PORT"), out int port) ? port : null;

    public string Send(params string[] args) => Encoding.UTF8.GetString(SendRaw(args));

    public byte[] SendRaw(params string[] args)
    {
        var request = new StringBuilder($"*{args.Length}\r\n");
        foreach (string arg in args) request.Append($"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        byte[] bytes = Encoding.UTF8.GetBytes(request.ToString());
        _stream.Write(bytes);
        _stream.Flush();
        var reply = new MemoryStream();
        ReadReply(reply);
        return reply.ToArray();
    }

    private void ReadReply(MemoryStream into)
    {
        string line = ReadLine(into);
        char type = line[0];
        switch (type)
        {
            case '$' or '=' or '!':
                int length = int.Parse(line[1..]);
                if (length < 0) return;
                byte[] body = new byte[length + 2];
                _stream.ReadExactly(body);
                into.Write(body);
                return;
            case '*' or '~' or '>' or '%':
                int count = int.Parse(line[1..]);
                if (type == '%') count *= 2;
                for (int i = 0; i < count; i++) ReadReply(into);
                return;
            default:
                return;
        }
    }

    private string ReadLine(MemoryStream into)
    {
        var line = new StringBuilder();
        while (true)
        {
            int b = _stream.ReadByte();
            if (b < 0) throw new EndOfStreamException();
            into.WriteByte((byte)b);
            if (b == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)b);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
