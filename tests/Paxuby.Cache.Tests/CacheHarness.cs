using System.Buffers;
using System.Text;
using Paxuby.Resp;

namespace Paxuby.Cache.Tests;

/// <summary>
/// Drives a <see cref="CacheStateMachine"/> the way the server does: encodes a command as the log
/// carries it, applies it (write path) or reads it (read path) at a given time, and returns the
/// reply's exact bytes as text ("+OK\r\n", ":1\r\n", …).
/// </summary>
public sealed class CacheHarness
{
    public CacheStateMachine Machine { get; } = new();

    /// <summary>The database the next commands run in, as SELECT would set it.</summary>
    public int Db { get; set; }

    /// <summary>2 or 3, as HELLO would set it.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>The log entry timestamp used by <see cref="Apply"/> and the clock used by <see cref="Read"/>.</summary>
    public long NowMs { get; set; } = 1_700_000_000_000;

    public Keyspace Keyspace => Machine.Keyspace;

    public string Apply(params string[] args) => ApplyAt(NowMs, args);

    public string ApplyAt(long timestampMs, params string[] args) => Text(ApplyBytes(timestampMs, Encode(args)));

    public string Read(params string[] args) => ReadAt(NowMs, args);

    public string ReadAt(long nowMs, params string[] args) => Text(ReadBytes(nowMs, Encode(args)));

    /// <summary>Applies a command given as raw byte arguments (binary keys and values); returns the raw reply.</summary>
    public byte[] ApplyRaw(params byte[][] args) => ApplyBytes(NowMs, Encode(args));

    public byte[] ReadRaw(params byte[][] args) => ReadBytes(NowMs, Encode(args));

    /// <summary>Applies an expiry sweep at <paramref name="timestampMs"/>; returns its reply (":n\r\n").</summary>
    public string Sweep(long timestampMs) => Text(ApplyBytes(timestampMs, CacheCommandCodec.EncodeExpireSweep()));

    /// <summary>What WATCH would record for <paramref name="key"/> in the current database now.</summary>
    public WatchedKey Watch(string key) => WatchAt(NowMs, key);

    public WatchedKey WatchAt(long nowMs, string key)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        return new WatchedKey(Db, bytes, Machine.GetWatchVersion(Db, bytes, nowMs));
    }

    /// <summary>Applies MULTI … EXEC of <paramref name="commands"/> with the given watches at <see cref="NowMs"/>.</summary>
    public string Exec(WatchedKey[] watched, params string[][] commands) => ExecAt(NowMs, watched, commands);

    public string ExecAt(long timestampMs, WatchedKey[] watched, params string[][] commands)
    {
        var queued = commands.Select(c => RespCommand.Of(c)).ToList();
        return Text(ApplyBytes(timestampMs, CacheCommandCodec.EncodeTransaction(Db, Protocol, queued, watched)));
    }

    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        Machine.Snapshot(stream);
        return stream.ToArray();
    }

    public byte[] Encode(params string[] args) => CacheCommandCodec.EncodeSingle(Db, Protocol, RespCommand.Of(args));

    public byte[] Encode(params byte[][] args)
    {
        var command = new RespCommand();
        foreach (byte[] arg in args) command.Add(arg);
        return CacheCommandCodec.EncodeSingle(Db, Protocol, command);
    }

    public byte[] ApplyBytes(long timestampMs, byte[] encoded)
    {
        var reply = new ArrayBufferWriter<byte>();
        Machine.Apply(timestampMs, encoded, reply);
        return reply.WrittenSpan.ToArray();
    }

    public byte[] ReadBytes(long nowMs, byte[] encoded)
    {
        var reply = new ArrayBufferWriter<byte>();
        Machine.Read(nowMs, encoded, reply);
        return reply.WrittenSpan.ToArray();
    }

    public static string Text(byte[] reply) => Encoding.UTF8.GetString(reply);

    /// <summary>The RESP2 text of a bulk string reply.</summary>
    public static string Bulk(string value) => $"${Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";

    /// <summary>The RESP2 text of an array of bulk strings.</summary>
    public static string Array(params string[] values) => $"*{values.Length}\r\n" + string.Concat(values.Select(Bulk));
}
