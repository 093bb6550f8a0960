using System.Buffers;
using Paxuby.Consensus;
using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>
/// The cache as a replicated state machine. Every replica applies the same log entries in the same
/// order and reaches the same keyspace: the only clock is the entry's timestamp, and nothing here
/// depends on hashing order or randomness. Reads run against the applied state and never change it.
/// </summary>
public sealed class CacheStateMachine : IStateMachine
{
    /// <summary>At most this many expired keys go per sweep, so one entry never stalls the log.</summary>
    public const int SweepLimit = 20_000;

    // Decoding buffers: Apply runs on one thread; reads may run on several, so each has its own.
    private readonly RespCommand _applyArgs = new();
    private readonly TransactionApplier _transactions = new();
    [ThreadStatic] private static RespCommand? t_readArgs;

    public CacheStateMachine()
    {
    }

    public Keyspace Keyspace { get; } = new();

    /// <summary>The timestamp of the last entry applied (0 before the first).</summary>
    public long LastAppliedTimestampMs { get; private set; }

    public void Apply(long timestampMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply)
    {
        if (command.IsEmpty) throw new InvalidDataException("empty command");
        LastAppliedTimestampMs = timestampMs;
        switch ((CacheCommandKind)command[0])
        {
            case CacheCommandKind.Single:
                ExecuteSingle(command, reply, _applyArgs, timestampMs, isWrite: true);
                break;
            case CacheCommandKind.Transaction:
                _transactions.Apply(Keyspace, timestampMs, command, reply);
                break;
            case CacheCommandKind.ExpireSweep:
                new RespWriter(reply).WriteInteger(Keyspace.RemoveExpired(timestampMs, SweepLimit));
                break;
            default:
                throw new InvalidDataException($"unknown command kind {command[0]}");
        }
    }

    public void Read(long nowMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply)
    {
        if (command.IsEmpty || (CacheCommandKind)command[0] != CacheCommandKind.Single)
        {
            throw new InvalidDataException("only single commands can be read");
        }
        ExecuteSingle(command, reply, t_readArgs ??= new RespCommand(), nowMs, isWrite: false);
    }

    /// <summary>
    /// WATCH's token for a key at <paramref name="nowMs"/>: it changes whenever the key is written,
    /// deleted or expires, or its database is flushed or swapped, and is equal on every replica
    /// that applied the same entries. A transaction aborts when a token differs at EXEC.
    /// </summary>
    public long GetWatchVersion(int db, ReadOnlySpan<byte> key, long nowMs) => Keyspace[db].GetWatchVersion(key, nowMs);

    public void Snapshot(Stream destination) => KeyspaceSnapshot.Write(Keyspace, LastAppliedTimestampMs, destination);

    public void Restore(Stream source) => LastAppliedTimestampMs = KeyspaceSnapshot.Read(Keyspace, source);

    /// <summary>An image of the keyspace by reference (values are never changed in place), written later as <see cref="Snapshot"/> would now.</summary>
    public Action<Stream> CaptureSnapshot() => KeyspaceSnapshot.Capture(Keyspace, LastAppliedTimestampMs).WriteTo;

    private void ExecuteSingle(ReadOnlySpan<byte> command, IBufferWriter<byte> reply, RespCommand args, long nowMs, bool isWrite)
    {
        if (command.Length < 3) throw new InvalidDataException("truncated command");
        int db = command[1];
        if (!Keyspace.IsValidIndex(db)) throw new InvalidDataException("database out of range");
        var writer = new RespWriter(reply, command[2]);
        CacheCommandCodec.ReadArguments(command[3..], args);
        CommandExecutor.Execute(Keyspace, args, writer, ref db, nowMs, isWrite);
    }
}
