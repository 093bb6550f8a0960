using System.Buffers;
using System.Buffers.Binary;
using Paxuby.Consensus;

namespace Paxuby.Server.Cluster;

/// <summary>
/// The bytes of forwarded work between replicas (Paxos messages have their own codec in the
/// transport). Little-endian, length-checked: a malformed frame from a peer is refused whole.
/// </summary>
internal static class PeerFrameCodec
{
    private const byte WriteTag = 1;
    private const byte ReadTag = 2;

    /// <summary>Writes a forwarded write or read (frame type ForwardRequest).</summary>
    public static void WriteRequest(IBufferWriter<byte> output, PeerFrame frame)
    {
        switch (frame)
        {
            case ForwardedWrite write:
            {
                Command command = write.Command;
                Span<byte> span = output.GetSpan(1 + 8 * 3 + 4 + command.Payload.Length);
                span[0] = WriteTag;
                BinaryPrimitives.WriteInt64LittleEndian(span[1..], command.ClientId);
                BinaryPrimitives.WriteInt64LittleEndian(span[9..], command.Sequence);
                BinaryPrimitives.WriteInt64LittleEndian(span[17..], command.TimestampMs);
                BinaryPrimitives.WriteInt32LittleEndian(span[25..], command.Payload.Length);
                command.Payload.Span.CopyTo(span[29..]);
                output.Advance(29 + command.Payload.Length);
                break;
            }
            case ForwardedRead read:
            {
                Span<byte> span = output.GetSpan(1 + 8 + 4 + read.Command.Length);
                span[0] = ReadTag;
                BinaryPrimitives.WriteInt64LittleEndian(span[1..], read.ReadId);
                BinaryPrimitives.WriteInt32LittleEndian(span[9..], read.Command.Length);
                read.Command.CopyTo(span[13..]);
                output.Advance(13 + read.Command.Length);
                break;
            }
            default:
                throw new ArgumentException($"not a forwarded request: {frame.GetType().Name}", nameof(frame));
        }
    }

    public static PeerFrame ReadRequest(int from, int to, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1) throw new InvalidDataException("empty forwarded request");
        switch (payload[0])
        {
            case WriteTag:
            {
                Require(payload.Length >= 29, "forwarded write shorter than its header");
                long clientId = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
                long sequence = BinaryPrimitives.ReadInt64LittleEndian(payload[9..]);
                long timestampMs = BinaryPrimitives.ReadInt64LittleEndian(payload[17..]);
                int length = BinaryPrimitives.ReadInt32LittleEndian(payload[25..]);
                Require(length == payload.Length - 29, "forwarded write length does not match the frame");
                return new ForwardedWrite(from, to, new Command(clientId, sequence, timestampMs, payload[29..].ToArray()));
            }
            case ReadTag:
            {
                Require(payload.Length >= 13, "forwarded read shorter than its header");
                long readId = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
                int length = BinaryPrimitives.ReadInt32LittleEndian(payload[9..]);
                Require(length == payload.Length - 13, "forwarded read length does not match the frame");
                return new ForwardedRead(from, to, readId, payload[13..].ToArray());
            }
            default:
                throw new InvalidDataException($"unknown forwarded request tag {payload[0]}");
        }
    }

    /// <summary>Writes the leader's reply to a forwarded request (frame type ForwardReply).</summary>
    public static void WriteReply(IBufferWriter<byte> output, ForwardedReply reply)
    {
        Span<byte> span = output.GetSpan(1 + 8 + 8 + 4 + reply.Reply.Length);
        span[0] = (byte)reply.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], reply.ClientOrReadId);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], reply.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], reply.Reply.Length);
        reply.Reply.CopyTo(span[21..]);
        output.Advance(21 + reply.Reply.Length);
    }

    public static ForwardedReply ReadReply(int from, int to, ReadOnlySpan<byte> payload)
    {
        Require(payload.Length >= 21, "forwarded reply shorter than its header");
        var kind = (ForwardedReplyKind)payload[0];
        Require(kind is ForwardedReplyKind.Write or ForwardedReplyKind.Read, "unknown forwarded reply kind");
        int length = BinaryPrimitives.ReadInt32LittleEndian(payload[17..]);
        Require(length == payload.Length - 21, "forwarded reply length does not match the frame");
        return new ForwardedReply(from, to, kind, BinaryPrimitives.ReadInt64LittleEndian(payload[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[9..]), payload[21..].ToArray());
    }

    /// <summary>Writes a snapshot chunk (frame type SnapshotChunk): slot, total length, offset, bytes.</summary>
    public static void WriteChunk(IBufferWriter<byte> output, SnapshotChunk chunk)
    {
        Span<byte> span = output.GetSpan(24 + chunk.Data.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span, chunk.Slot);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], chunk.TotalLength);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], chunk.Offset);
        chunk.Data.CopyTo(span[24..]);
        output.Advance(24 + chunk.Data.Length);
    }

    public static SnapshotChunk ReadChunk(int from, int to, ReadOnlySpan<byte> payload)
    {
        Require(payload.Length >= 24, "snapshot chunk shorter than its header");
        long slot = BinaryPrimitives.ReadInt64LittleEndian(payload);
        long total = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
        long offset = BinaryPrimitives.ReadInt64LittleEndian(payload[16..]);
        Require(slot > 0 && offset >= 0 && total >= offset + payload.Length - 24, "snapshot chunk outside its file");
        return new SnapshotChunk(from, to, slot, total, offset, payload[24..].ToArray());
    }

    /// <summary>Writes a snapshot acknowledgement (frame type SnapshotAck).</summary>
    public static void WriteAck(IBufferWriter<byte> output, SnapshotAck ack)
    {
        Span<byte> span = output.GetSpan(17);
        BinaryPrimitives.WriteInt64LittleEndian(span, ack.Slot);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], ack.Received);
        span[16] = ack.Rejected ? (byte)1 : (byte)0;
        output.Advance(17);
    }

    public static SnapshotAck ReadAck(int from, int to, ReadOnlySpan<byte> payload)
    {
        Require(payload.Length == 17 && payload[16] <= 1, "snapshot acknowledgement of the wrong shape");
        long received = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
        Require(received >= 0, "negative snapshot acknowledgement");
        return new SnapshotAck(from, to, BinaryPrimitives.ReadInt64LittleEndian(payload), received, payload[16] == 1);
    }

    /// <summary>A PUBLISH relayed to the other replicas (frame type Publish): channel length, channel, message.</summary>
    public static byte[] WritePublish(byte[] channel, byte[] message)
    {
        var frame = new byte[4 + channel.Length + message.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, channel.Length);
        channel.CopyTo(frame, 4);
        message.CopyTo(frame, 4 + channel.Length);
        return frame;
    }

    public static (byte[] Channel, byte[] Message) ReadPublish(ReadOnlySpan<byte> payload)
    {
        Require(payload.Length >= 4, "relayed publish shorter than its header");
        int length = BinaryPrimitives.ReadInt32LittleEndian(payload);
        Require(length >= 0 && length <= payload.Length - 4, "relayed publish channel outside the frame");
        return (payload.Slice(4, length).ToArray(), payload[(4 + length)..].ToArray());
    }

    private static void Require(bool condition, string what)
    {
        if (!condition) throw new InvalidDataException(what);
    }
}
