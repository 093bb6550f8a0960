using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Paxuby.Consensus;

namespace Paxuby.Storage;

/// <summary>
/// Payload encodings of the write-ahead log records, little-endian, fixed-width integers:
/// <code>
/// ballot  = round i64, replica i32
/// Entry   = slot i64, ballot, batch
/// batch   = id.ballot, id.slot i64, timestampMs i64, count i32, count × command
/// command = clientId i64, sequence i64, timestampMs i64, length i32, length bytes
/// Promise = ballot
/// Commit  = commitIndex i64
/// SnapshotBase = snapshotSlot i64, recordsAfter i64
/// </code>
/// Decoding trusts nothing: every count and length is checked against the bytes that remain, so
/// garbage throws <see cref="CorruptRecordException"/> and never allocates more than it was given.
/// </summary>
public static class LogRecordCodec
{
    private const int BallotBytes = sizeof(long) + sizeof(int);
    private const int BatchHeaderBytes = BallotBytes + sizeof(long) + sizeof(long) + sizeof(int);

    public const int PromiseBytes = BallotBytes;
    public const int CommitBytes = sizeof(long);
    public const int SnapshotBaseBytes = 2 * sizeof(long);

    public static int EntryBytes(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        long size = sizeof(long) + BallotBytes + BatchHeaderBytes + entry.Batch.Commands.Encoded.Length;
        return size <= int.MaxValue
            ? (int)size
            : throw new ArgumentException($"entry of slot {entry.Slot} is too large to log ({size} bytes)");
    }

    /// <summary>Writes <paramref name="entry"/> into exactly <see cref="EntryBytes"/> bytes.</summary>
    public static void WriteEntry(Span<byte> destination, LogEntry entry)
    {
        var writer = new SpanWriter(destination);
        writer.Int64(entry.Slot);
        writer.Ballot(entry.Ballot);
        var batch = entry.Batch;
        writer.Ballot(batch.Id.Ballot);
        writer.Int64(batch.Id.Slot);
        writer.Int64(batch.TimestampMs);
        writer.Int32(batch.Commands.Count);
        writer.Bytes(batch.Commands.Encoded);
    }

    public static void WritePromise(Span<byte> destination, Ballot ballot) => new SpanWriter(destination).Ballot(ballot);

    public static void WriteCommit(Span<byte> destination, long commitIndex) =>
        BinaryPrimitives.WriteInt64LittleEndian(destination, commitIndex);

    public static void WriteSnapshotBase(Span<byte> destination, long snapshotSlot, long recordsAfter)
    {
        var writer = new SpanWriter(destination);
        writer.Int64(snapshotSlot);
        writer.Int64(recordsAfter);
    }

    public static (long SnapshotSlot, long RecordsAfter) ReadSnapshotBase(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var slot = reader.Int64();
        var recordsAfter = reader.Int64();
        reader.EnsureEnd();
        if (slot < 0 || recordsAfter < 0)
        {
            ThrowCorrupt($"negative snapshot slot {slot} or record count {recordsAfter}");
        }
        return (slot, recordsAfter);
    }

    public static LogEntry ReadEntry(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var slot = reader.Int64();
        var ballot = reader.Ballot();
        var batchBallot = reader.Ballot();
        var batchSlot = reader.Int64();
        var timestampMs = reader.Int64();
        var count = reader.Int32();
        var commands = reader.Commands(count);
        reader.EnsureEnd();
        return new LogEntry(slot, ballot, new Batch(new BatchId(batchBallot, batchSlot), timestampMs, commands));
    }

    public static Ballot ReadPromise(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var ballot = reader.Ballot();
        reader.EnsureEnd();
        return ballot;
    }

    public static long ReadCommit(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var commitIndex = reader.Int64();
        reader.EnsureEnd();
        return commitIndex;
    }

    [DoesNotReturn]
    private static void ThrowCorrupt(string message) => throw new CorruptRecordException(message);

    private ref struct SpanWriter(Span<byte> destination)
    {
        private Span<byte> _rest = destination;

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_rest, value);
            _rest = _rest[sizeof(long)..];
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_rest, value);
            _rest = _rest[sizeof(int)..];
        }

        public void Ballot(Ballot ballot)
        {
            Int64(ballot.Round);
            Int32(ballot.ReplicaId);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_rest);
            _rest = _rest[bytes.Length..];
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> source)
    {
        private ReadOnlySpan<byte> _rest = source;

        public readonly int Remaining => _rest.Length;

        public long Int64()
        {
            Need(sizeof(long));
            var value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
            _rest = _rest[sizeof(long)..];
            return value;
        }

        public int Int32()
        {
            Need(sizeof(int));
            var value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
            _rest = _rest[sizeof(int)..];
            return value;
        }

        public Ballot Ballot() => new(Int64(), Int32());

        public PackedCommands Commands(int count)
        {
            if (!PackedCommands.TryRead(_rest, count, out var commands, out var bytesRead, out var error))
            {
                ThrowCorrupt(error!);
            }
            _rest = _rest[bytesRead..];
            return commands;
        }

        public readonly void EnsureEnd()
        {
            if (_rest.Length != 0)
            {
                ThrowCorrupt($"{_rest.Length} unexpected bytes after the record");
            }
        }

        private readonly void Need(int length)
        {
            if (_rest.Length < length)
            {
                ThrowCorrupt($"needs {length} bytes, {_rest.Length} left");
            }
        }
    }
}
