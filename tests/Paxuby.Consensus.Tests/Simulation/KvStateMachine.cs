using System.Buffers;
using System.Buffers.Binary;
using Paxuby.Consensus;

namespace Paxuby.Consensus.Tests.Simulation;

/// <summary>
/// A tiny deterministic key-value backend for the simulator: integer values under one-byte keys.
/// Commands: SET key value, INCR key, MINCR keys (atomic INCR of several keys, like MULTI/EXEC),
/// and GET key as a read.
/// </summary>
internal sealed class KvStateMachine : IStateMachine
{
    public const byte Set = 1;
    public const byte Incr = 2;
    public const byte MultiIncr = 3;
    public const byte Get = 4;

    private readonly SortedDictionary<byte, long> values = new();

    public static byte[] EncodeSet(byte key, long value)
    {
        var bytes = new byte[10];
        bytes[0] = Set;
        bytes[1] = key;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(2), value);
        return bytes;
    }

    public static byte[] EncodeIncr(byte key) => [Incr, key];

    public static byte[] EncodeMultiIncr(IReadOnlyList<byte> keys)
    {
        var bytes = new byte[2 + keys.Count];
        bytes[0] = MultiIncr;
        bytes[1] = (byte)keys.Count;
        for (var i = 0; i < keys.Count; i++)
        {
            bytes[2 + i] = keys[i];
        }
        return bytes;
    }

    public static byte[] EncodeGet(byte key) => [Get, key];

    /// <summary>INCR/MINCR replies: the new values; SET: empty.</summary>
    public static long[] DecodeLongs(ReadOnlySpan<byte> reply)
    {
        var result = new long[reply.Length / 8];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadInt64LittleEndian(reply[(i * 8)..]);
        }
        return result;
    }

    /// <summary>GET reply: null when the key is missing.</summary>
    public static long? DecodeGet(ReadOnlySpan<byte> reply) =>
        reply[0] == 0 ? null : BinaryPrimitives.ReadInt64LittleEndian(reply[1..]);

    public void Apply(long timestampMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply)
    {
        switch (command[0])
        {
            case Set:
                values[command[1]] = BinaryPrimitives.ReadInt64LittleEndian(command[2..]);
                break;
            case Incr:
                WriteLong(reply, Increment(command[1]));
                break;
            case MultiIncr:
                for (var i = 0; i < command[1]; i++)
                {
                    WriteLong(reply, Increment(command[2 + i]));
                }
                break;
            default:
                throw new InvalidOperationException($"unknown KV command {command[0]}");
        }
    }

    public void Read(long nowMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply)
    {
        if (values.TryGetValue(command[1], out var value))
        {
            var span = reply.GetSpan(9);
            span[0] = 1;
            BinaryPrimitives.WriteInt64LittleEndian(span[1..], value);
            reply.Advance(9);
        }
        else
        {
            reply.GetSpan(1)[0] = 0;
            reply.Advance(1);
        }
    }

    public long? Peek(byte key) => values.TryGetValue(key, out var v) ? v : null;

    public void Snapshot(Stream destination)
    {
        var writer = new BinaryWriter(destination);
        writer.Write(values.Count);
        foreach (var (key, value) in values)
        {
            writer.Write(key);
            writer.Write(value);
        }
        writer.Flush();
    }

    public void Restore(Stream source)
    {
        var reader = new BinaryReader(source);
        values.Clear();
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadByte();
            values[key] = reader.ReadInt64();
        }
    }

    public string Describe() => string.Join(",", values.Select(kv => $"{kv.Key}={kv.Value}"));

    private long Increment(byte key)
    {
        var value = (values.TryGetValue(key, out var v) ? v : 0) + 1;
        values[key] = value;
        return value;
    }

    private static void WriteLong(IBufferWriter<byte> reply, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(reply.GetSpan(8), value);
        reply.Advance(8);
    }
}
