using System.Buffers;
using System.Buffers.Binary;
using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>What a replicated cache command is: the kind byte that starts every encoded command.</summary>
public enum CacheCommandKind : byte
{
    /// <summary>One command: [kind][db][protocol][argc]{[len][bytes]}.</summary>
    Single = 1,

    /// <summary>A whole MULTI/EXEC: [kind][db][protocol][watch count]{[db byte][keylen][key][version int64]}[count]{command args}.</summary>
    Transaction = 2,

    /// <summary>"Remove what expired up to the entry's timestamp": [kind].</summary>
    ExpireSweep = 3,
}

/// <summary>A key that a transaction watches and the token <c>CacheStateMachine.GetWatchVersion</c> gave at WATCH time.</summary>
public readonly record struct WatchedKey(int Db, byte[] Key, long Version);

/// <summary>
/// Encodes commands into the bytes the log carries and decodes them back. Integers are
/// little-endian 32-bit; the format is append-only (new kinds get new numbers).
/// </summary>
public static class CacheCommandCodec
{
    public static void EncodeSingle(IBufferWriter<byte> output, int db, int protocol, RespCommand command)
    {
        Span<byte> header = output.GetSpan(3);
        header[0] = (byte)CacheCommandKind.Single;
        header[1] = (byte)db;
        header[2] = (byte)protocol;
        output.Advance(3);
        WriteArguments(output, command);
    }

    public static byte[] EncodeSingle(int db, int protocol, RespCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>(command.PayloadBytes + 8 + 4 * command.Count);
        EncodeSingle(buffer, db, protocol, command);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeExpireSweep() => [(byte)CacheCommandKind.ExpireSweep];

    /// <summary>
    /// Encodes a whole MULTI/EXEC: the keys watched with the tokens seen at WATCH time, then the
    /// queued commands, which run from database <paramref name="db"/> (a queued SELECT changes it).
    /// </summary>
    public static byte[] EncodeTransaction(int db, int protocol, IReadOnlyList<RespCommand> commands, IReadOnlyList<WatchedKey> watched)
    {
        int size = 16;
        foreach (RespCommand command in commands) size += command.PayloadBytes + 4 + 4 * command.Count;
        foreach (WatchedKey key in watched) size += key.Key.Length + 13;
        var buffer = new ArrayBufferWriter<byte>(size);
        Span<byte> header = buffer.GetSpan(3);
        header[0] = (byte)CacheCommandKind.Transaction;
        header[1] = (byte)db;
        header[2] = (byte)protocol;
        buffer.Advance(3);
        WriteInt32(buffer, watched.Count);
        foreach (WatchedKey key in watched)
        {
            buffer.GetSpan(1)[0] = (byte)key.Db;
            buffer.Advance(1);
            WriteInt32(buffer, key.Key.Length);
            buffer.Write(key.Key);
            WriteInt64(buffer, key.Version);
        }
        WriteInt32(buffer, commands.Count);
        foreach (RespCommand command in commands) WriteArguments(buffer, command);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteArguments(IBufferWriter<byte> output, RespCommand command)
    {
        WriteInt32(output, command.Count);
        for (int i = 0; i < command.Count; i++)
        {
            ReadOnlySpan<byte> argument = command[i];
            WriteInt32(output, argument.Length);
            output.Write(argument);
        }
    }

    /// <summary>Reads arguments written by <see cref="WriteArguments"/> into <paramref name="into"/>; returns bytes read.</summary>
    public static int ReadArguments(ReadOnlySpan<byte> source, RespCommand into)
    {
        into.Clear();
        int offset = 0;
        int count = ReadInt32(source, ref offset);
        if (count < 0) throw new InvalidDataException("negative argument count");
        for (int i = 0; i < count; i++)
        {
            int length = ReadInt32(source, ref offset);
            if (length < 0 || length > source.Length - offset) throw new InvalidDataException("argument out of range");
            into.Add(source.Slice(offset, length));
            offset += length;
        }
        return offset;
    }

    public static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static int ReadInt32(ReadOnlySpan<byte> source, ref int offset)
    {
        if (source.Length - offset < 4) throw new InvalidDataException("truncated command");
        int value = BinaryPrimitives.ReadInt32LittleEndian(source[offset..]);
        offset += 4;
        return value;
    }

    public static long ReadInt64(ReadOnlySpan<byte> source, ref int offset)
    {
        if (source.Length - offset < 8) throw new InvalidDataException("truncated command");
        long value = BinaryPrimitives.ReadInt64LittleEndian(source[offset..]);
        offset += 8;
        return value;
    }
}
