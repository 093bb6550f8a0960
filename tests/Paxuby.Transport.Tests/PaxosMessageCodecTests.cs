using System.Buffers;
using System.Buffers.Binary;
using Paxuby.Consensus;

namespace Paxuby.Transport.Tests;

public class PaxosMessageCodecTests
{
    private static byte[] Encode(Message message)
    {
        var output = new ArrayBufferWriter<byte>();
        PaxosMessageCodec.Write(output, message);
        Assert.Equal(PaxosMessageCodec.Size(message), output.WrittenCount);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(Messages.AllTypes), MemberType = typeof(Messages))]
    public void Every_message_type_round_trips_with_every_field(MessageType type)
    {
        var message = Messages.Of(type);
        Messages.AssertEqual(message, PaxosMessageCodec.Read(Encode(message)));
    }

    [Fact]
    public void Accept_with_a_no_op_batch_and_a_promise_without_entries_round_trip()
    {
        var ballot = new Ballot(1, 1);
        var accept = Messages.Make(MessageType.Accept, ballot, Batch.NoOp(new BatchId(ballot, 9), 5));
        Messages.AssertEqual(accept, PaxosMessageCodec.Read(Encode(accept)));
        var promise = Messages.Make(MessageType.Promise, ballot);
        Messages.AssertEqual(promise, PaxosMessageCodec.Read(Encode(promise)));
    }

    [Fact]
    public void Extreme_field_values_round_trip()
    {
        var message = new Message
        {
            Type = MessageType.Nack,
            From = int.MinValue,
            To = int.MaxValue,
            Ballot = new Ballot(long.MaxValue, int.MaxValue),
            Slot = long.MinValue,
            CommitIndex = long.MaxValue,
            EchoCommitIndex = long.MinValue,
            RequestTick = -1,
        };
        Messages.AssertEqual(message, PaxosMessageCodec.Read(Encode(message)));
    }

    [Theory]
    [MemberData(nameof(Messages.AllTypes), MemberType = typeof(Messages))]
    public void Input_cut_at_every_byte_throws_a_protocol_error(MessageType type)
    {
        var bytes = Encode(Messages.Of(type));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(bytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [MemberData(nameof(Messages.AllTypes), MemberType = typeof(Messages))]
    public void Flipped_bytes_decode_or_throw_a_protocol_error_and_nothing_else(MessageType type)
    {
        var bytes = Encode(Messages.Of(type));
        var random = new Random(1234 + (int)type);
        foreach (var flip in new byte[] { 0xFF, 0x80, 0x01 })
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= flip;
                DecodeOrProtocolError(copy);
            }
        }
        for (var round = 0; round < 2000; round++)
        {
            var copy = (byte[])bytes.Clone();
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }
            DecodeOrProtocolError(copy);
        }
    }

    [Fact]
    public void Random_garbage_decodes_or_throws_a_protocol_error()
    {
        var random = new Random(99);
        for (var round = 0; round < 5000; round++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)random.Next(0, 10);
            }
            DecodeOrProtocolError(bytes);
        }
    }

    [Fact]
    public void A_claimed_count_of_two_billion_entries_throws_without_allocating_for_them()
    {
        var bytes = Encode(Messages.Make(MessageType.Promise, new Ballot(1, 1)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), int.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Contains("entry count", error.Message);
    }

    [Fact]
    public void A_negative_count_or_batch_length_throws()
    {
        var promise = Encode(Messages.Make(MessageType.Promise, new Ballot(1, 1)));
        BinaryPrimitives.WriteInt32LittleEndian(promise.AsSpan(promise.Length - 4), -1);
        Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(promise));

        var prepare = Encode(Messages.Make(MessageType.Prepare, new Ballot(1, 1)));
        BinaryPrimitives.WriteInt32LittleEndian(prepare.AsSpan(prepare.Length - 8), -2);
        Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(prepare));
    }

    [Fact]
    public void Unknown_type_and_trailing_bytes_throw()
    {
        var bytes = Encode(Messages.Of(MessageType.Heartbeat));
        var unknown = (byte[])bytes.Clone();
        unknown[0] = 200;
        Assert.Contains("unknown", Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(unknown)).Message);
        unknown[0] = 0;
        Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(unknown));

        var trailing = bytes.Concat(new byte[] { 0 }).ToArray();
        Assert.Contains("unexpected", Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(trailing)).Message);
    }

    [Fact]
    public void A_batch_encoded_for_another_slot_is_refused()
    {
        var ballot = new Ballot(3, 1);
        var bytes = Encode(Messages.Make(MessageType.Accept, ballot, Messages.Batch(9, ballot, 1)));
        // The message slot sits at offset 21; the batch's own copy of it stays 9.
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(21), 10);
        Assert.Throws<PeerProtocolException>(() => PaxosMessageCodec.Read(bytes));
    }

    [Fact]
    public void The_codec_knows_every_field_of_message()
    {
        // A field added to Message must be added to the codec (and here) or it silently stays home.
        var encoded = new[]
        {
            "Type", "From", "To", "Ballot", "Slot", "CommitIndex", "EchoCommitIndex", "RequestTick", "Batch", "Entries",
        };
        Assert.Equal(encoded.Order(), typeof(Message).GetProperties().Select(p => p.Name).Order());
    }

    private static void DecodeOrProtocolError(byte[] bytes)
    {
        try
        {
            Assert.NotNull(PaxosMessageCodec.Read(bytes));
        }
        catch (PeerProtocolException)
        {
        }
    }
}
