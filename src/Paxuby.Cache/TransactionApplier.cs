using System.Buffers;
using Paxuby.Cache.Commands;
using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>
/// Applies a whole MULTI/EXEC as one log entry: if any watched key changed since WATCH the
/// transaction aborts with a null array, else every queued command runs in order and the replies
/// form one array. A few server commands are deterministic enough to run inside it: SELECT
/// (changes the database for what follows), PING and ECHO.
/// </summary>
internal sealed class TransactionApplier
{
    private readonly RespCommand _args = new();

    public void Apply(Keyspace keyspace, long timestampMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply)
    {
        if (command.Length < 3) throw new InvalidDataException("truncated transaction");
        int db = command[1];
        var writer = new RespWriter(reply, command[2]);
        if (!Keyspace.IsValidIndex(db)) throw new InvalidDataException("database out of range");
        int offset = 3;
        bool unchanged = WatchedKeysUnchanged(keyspace, command, ref offset, timestampMs);
        int count = CacheCommandCodec.ReadInt32(command, ref offset);
        if (count < 0) throw new InvalidDataException("negative command count");
        if (!unchanged)
        {
            writer.WriteNullArray();
            return;
        }
        writer.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
        {
            offset += CacheCommandCodec.ReadArguments(command[offset..], _args);
            if (!TryRunServerCommand(_args, writer, ref db))
            {
                CommandExecutor.Execute(keyspace, _args, writer, ref db, timestampMs, isWrite: true);
            }
        }
    }

    private static bool WatchedKeysUnchanged(Keyspace keyspace, ReadOnlySpan<byte> command, ref int offset, long timestampMs)
    {
        int watchCount = CacheCommandCodec.ReadInt32(command, ref offset);
        if (watchCount < 0) throw new InvalidDataException("negative watch count");
        bool unchanged = true;
        for (int i = 0; i < watchCount; i++)
        {
            if (offset >= command.Length) throw new InvalidDataException("truncated watch list");
            int db = command[offset++];
            if (!Keyspace.IsValidIndex(db)) throw new InvalidDataException("watched database out of range");
            int keyLength = CacheCommandCodec.ReadInt32(command, ref offset);
            if (keyLength < 0 || keyLength > command.Length - offset) throw new InvalidDataException("watched key out of range");
            ReadOnlySpan<byte> key = command.Slice(offset, keyLength);
            offset += keyLength;
            long version = CacheCommandCodec.ReadInt64(command, ref offset);
            if (keyspace[db].GetWatchVersion(key, timestampMs) != version) unchanged = false;
        }
        return unchanged;
    }

    /// <summary>Runs SELECT, PING or ECHO as Redis would inside MULTI; false for any other command.</summary>
    private static bool TryRunServerCommand(RespCommand args, RespWriter writer, ref int db)
    {
        if (args.Count == 0) return false;
        if (args.Is(0, "SELECT"u8))
        {
            if (args.Count != 2) CacheErrors.WriteWrongArity(writer, "select"u8);
            else if (!CommandArguments.TryGetInt32(writer, args[1], out int index)) return true;
            else if (!Keyspace.IsValidIndex(index)) writer.WriteError(CacheErrors.DbIndexOutOfRange);
            else
            {
                db = index;
                writer.WriteOk();
            }
            return true;
        }
        if (args.Is(0, "PING"u8))
        {
            if (args.Count > 2) CacheErrors.WriteWrongArity(writer, "ping"u8);
            else if (args.Count == 2) writer.WriteBulkString(args[1]);
            else writer.WriteRaw(RespStrings.Pong);
            return true;
        }
        if (args.Is(0, "ECHO"u8))
        {
            if (args.Count != 2) CacheErrors.WriteWrongArity(writer, "echo"u8);
            else writer.WriteBulkString(args[1]);
            return true;
        }
        return false;
    }
}
