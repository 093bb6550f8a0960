using System.Buffers;
using System.Buffers.Binary;

namespace Paxuby.Transport.Tests;

public class FrameReaderTests
{
    private static byte[] Frame(byte frameType, byte[] payload)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, frameType, payload);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void Frame_layout_is_length_version_type_payload()
    {
        Assert.Equal(new byte[] { 5, 0, 0, 0, 1, 7, 0xA, 0xB, 0xC }, Frame(7, [0xA, 0xB, 0xC]));
    }

    [Fact]
    public void Frames_split_at_every_byte_are_read_whole_and_in_order()
    {
        var stream = Frame(1, [1, 2, 3]).Concat(Frame(2, [])).Concat(Frame(3, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray())).ToArray();
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var buffer = Segments(stream[..cut], stream[cut..]);
            var types = new List<byte>();
            var lengths = new List<long>();
            while (FrameReader.TryRead(ref buffer, 1024, out var type, out var payload))
            {
                types.Add(type);
                lengths.Add(payload.Length);
            }
            Assert.Equal(new byte[] { 1, 2, 3 }, types);
            Assert.Equal(new long[] { 3, 0, 100 }, lengths);
            Assert.True(buffer.IsEmpty);
        }
    }

    [Fact]
    public void An_incomplete_frame_consumes_nothing()
    {
        var frame = Frame(1, [1, 2, 3]);
        for (var length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(FrameReader.TryRead(ref buffer, 1024, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [InlineData(0u, 1, "below")]
    [InlineData(1u, 1, "below")]
    [InlineData(1025u, 1, "exceeds")]
    [InlineData(uint.MaxValue, 1, "exceeds")]
    [InlineData(4u, 2, "version")]
    [InlineData(4u, 0, "version")]
    public void A_frame_no_honest_peer_sends_throws(uint length, byte version, string reason)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        bytes[4] = version;
        bytes[5] = 1;
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<PeerProtocolException>(() => FrameReader.TryRead(ref buffer, 1024, out _, out _));
        Assert.Contains(reason, error.Message);
    }

    private static ReadOnlySequence<byte> Segments(byte[] first, byte[] second)
    {
        if (first.Length == 0 || second.Length == 0)
        {
            return new ReadOnlySequence<byte>(first.Concat(second).ToArray());
        }
        var start = new Segment(first, 0);
        var end = start.Append(second);
        return new ReadOnlySequence<byte>(start, 0, end, second.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
