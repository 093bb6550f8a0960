using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Paxuby.Consensus;
using Paxuby.Storage;

namespace Paxuby.Transport;

/// <summary>
/// The payload of a <see cref="FrameTypes.Paxos"/> frame, little-endian, fixed-width integers:
/// <code>
/// message = type u8, from i32, to i32, ballot, slot i64, commitIndex i64, echoCommitIndex i64,
///           requestTick i64, batchLength i32 (-1: no batch), batchLength × entry byte,
///           entryCount i32, entryCount × (length i32, length × entry byte)
/// ballot  = round i64, replica i32
/// entry   = a LogEntry as <see cref="LogRecordCodec"/> writes it (one batch codec for disk and wire);
///           the batch travels as the entry (message slot, message ballot, batch)
/// </code>
/// Decoding trusts nothing: unknown types, lengths or counts beyond the payload and trailing
/// bytes throw <see cref="PeerProtocolException"/>, and nothing is allocated beyond what the
/// payload's length justifies.
/// </summary>
public static class PaxosMessageCodec
{
    private const int HeaderBytes = 1 + 2 * sizeof(int) + (sizeof(long) + sizeof(int)) + 4 * sizeof(long);

    /// <summary>The smallest encoded LogEntry: slot, ballot, batch header with no commands.</summary>
    private const int MinEntryBytes = sizeof(long) + 2 * (sizeof(long) + sizeof(int)) + 2 * sizeof(long) + sizeof(int);

    private const int NoBatch = -1;

    public static void Write(IBufferWriter<byte> output, Message message)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = Size(message);
        var span = output.GetSpan(size)[..size];
        Write(span, message);
        output.Advance(size);
    }

    /// <summary>Encoded size of <paramref name="message"/>, so a frame header can precede it.</summary>
    public static int Size(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        long size = HeaderBytes + sizeof(int) + sizeof(int);
        if (message.Batch is { } batch)
        {
            size += LogRecordCodec.EntryBytes(new LogEntry(message.Slot, message.Ballot, batch));
        }
        foreach (var entry in Entries(message))
        {
            size += sizeof(int) + LogRecordCodec.EntryBytes(entry);
        }
        return size <= int.MaxValue
            ? (int)size
            : throw new ArgumentException($"message {message.Type} is too large to send ({size} bytes)");
    }

    /// <summary>Writes <paramref name="message"/> into exactly <see cref="Size"/> bytes.</summary>
    public static void Write(Span<byte> destination, Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rest = destination;
        rest[0] = (byte)message.Type;
        BinaryPrimitives.WriteInt32LittleEndian(rest[1..], message.From);
        BinaryPrimitives.WriteInt32LittleEndian(rest[5..], message.To);
        BinaryPrimitives.WriteInt64LittleEndian(rest[9..], message.Ballot.Round);
        BinaryPrimitives.WriteInt32LittleEndian(rest[17..], message.Ballot.ReplicaId);
        BinaryPrimitives.WriteInt64LittleEndian(rest[21..], message.Slot);
        BinaryPrimitives.WriteInt64LittleEndian(rest[29..], message.CommitIndex);
        BinaryPrimitives.WriteInt64LittleEndian(rest[37..], message.EchoCommitIndex);
        BinaryPrimitives.WriteInt64LittleEndian(rest[45..], message.RequestTick);
        rest = rest[HeaderBytes..];

        if (message.Batch is { } batch)
        {
            rest = WriteEntry(rest, new LogEntry(message.Slot, message.Ballot, batch));
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(rest, NoBatch);
            rest = rest[sizeof(int)..];
        }

        var entries = Entries(message);
        BinaryPrimitives.WriteInt32LittleEndian(rest, entries.Count);
        rest = rest[sizeof(int)..];
        foreach (var entry in entries)
        {
            rest = WriteEntry(rest, entry);
        }
    }

    public static Message Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderBytes + 2 * sizeof(int))
        {
            ThrowProtocol($"paxos message of {payload.Length} bytes is shorter than its {HeaderBytes + 2 * sizeof(int)}-byte header");
        }
        var type = (MessageType)payload[0];
        if (!Enum.IsDefined(type))
        {
            ThrowProtocol($"unknown paxos message type {payload[0]}");
        }
        var from = BinaryPrimitives.ReadInt32LittleEndian(payload[1..]);
        var to = BinaryPrimitives.ReadInt32LittleEndian(payload[5..]);
        var ballot = new Ballot(
            BinaryPrimitives.ReadInt64LittleEndian(payload[9..]),
            BinaryPrimitives.ReadInt32LittleEndian(payload[17..]));
        var slot = BinaryPrimitives.ReadInt64LittleEndian(payload[21..]);
        var commitIndex = BinaryPrimitives.ReadInt64LittleEndian(payload[29..]);
        var echoCommitIndex = BinaryPrimitives.ReadInt64LittleEndian(payload[37..]);
        var requestTick = BinaryPrimitives.ReadInt64LittleEndian(payload[45..]);
        var rest = payload[HeaderBytes..];

        Batch? batch = null;
        var batchLength = ReadInt32(ref rest);
        if (batchLength != NoBatch)
        {
            var entry = ReadEntry(ref rest, batchLength, "batch");
            if (entry.Slot != slot || entry.Ballot != ballot)
            {
                ThrowProtocol($"batch encoded for slot {entry.Slot} ballot {entry.Ballot} in a message for slot {slot} ballot {ballot}");
            }
            batch = entry.Batch;
        }

        var count = ReadInt32(ref rest);
        // Every entry takes at least its length and an empty batch: bounds the count before allocating.
        if (count < 0 || count > rest.Length / (sizeof(int) + MinEntryBytes))
        {
            ThrowProtocol($"entry count {count} does not fit in {rest.Length} bytes");
        }
        IReadOnlyList<LogEntry> entries = Array.Empty<LogEntry>();
        if (count > 0)
        {
            var array = new LogEntry[count];
            for (var i = 0; i < count; i++)
            {
                array[i] = ReadEntry(ref rest, ReadInt32(ref rest), "entry");
            }
            entries = array;
        }
        if (!rest.IsEmpty)
        {
            ThrowProtocol($"{rest.Length} unexpected bytes after the paxos message");
        }

        return new Message
        {
            Type = type,
            From = from,
            To = to,
            Ballot = ballot,
            Slot = slot,
            CommitIndex = commitIndex,
            EchoCommitIndex = echoCommitIndex,
            RequestTick = requestTick,
            Batch = batch,
            Entries = entries,
        };
    }

    private static IReadOnlyList<LogEntry> Entries(Message message) => message.Entries ?? Array.Empty<LogEntry>();

    private static Span<byte> WriteEntry(Span<byte> destination, LogEntry entry)
    {
        var length = LogRecordCodec.EntryBytes(entry);
        BinaryPrimitives.WriteInt32LittleEndian(destination, length);
        LogRecordCodec.WriteEntry(destination.Slice(sizeof(int), length), entry);
        return destination[(sizeof(int) + length)..];
    }

    private static int ReadInt32(ref ReadOnlySpan<byte> rest)
    {
        if (rest.Length < sizeof(int))
        {
            ThrowProtocol($"paxos message truncated: needs {sizeof(int)} bytes, {rest.Length} left");
        }
        var value = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[sizeof(int)..];
        return value;
    }

    private static LogEntry ReadEntry(ref ReadOnlySpan<byte> rest, int length, string what)
    {
        if (length < MinEntryBytes || length > rest.Length)
        {
            ThrowProtocol($"{what} length {length} is outside [{MinEntryBytes}, {rest.Length}]");
        }
        LogEntry entry;
        try
        {
            entry = LogRecordCodec.ReadEntry(rest[..length]);
        }
        catch (CorruptRecordException e)
        {
            throw new PeerProtocolException($"{what} does not decode: {e.Message}", e);
        }
        rest = rest[length..];
        return entry;
    }

    [DoesNotReturn]
    private static void ThrowProtocol(string message) => throw new PeerProtocolException(message);
}
