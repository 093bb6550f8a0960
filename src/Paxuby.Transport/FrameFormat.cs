using System.Buffers;
using System.Buffers.Binary;

namespace Paxuby.Transport;

/// <summary>
/// Every frame on a peer link: <c>[u32 LE length of the rest][u8 version][u8 frameType][payload]</c>.
/// The version byte lets a future format coexist with this one during a rolling upgrade.
/// </summary>
internal static class FrameFormat
{
    public const byte Version = 1;

    /// <summary>Length prefix, version, frame type.</summary>
    public const int HeaderBytes = sizeof(uint) + 2;

    /// <summary>The length prefix counts the version and type bytes, so it is at least this.</summary>
    public const int MinLength = 2;
}

internal static class FrameWriter
{
    public static void WriteHeader(Span<byte> destination, byte frameType, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(payloadLength + FrameFormat.MinLength));
        destination[4] = FrameFormat.Version;
        destination[5] = frameType;
    }

    public static void Write(IBufferWriter<byte> output, byte frameType, ReadOnlySpan<byte> payload)
    {
        var size = FrameFormat.HeaderBytes + payload.Length;
        var span = output.GetSpan(size);
        WriteHeader(span, frameType, payload.Length);
        payload.CopyTo(span[FrameFormat.HeaderBytes..]);
        output.Advance(size);
    }
}

internal static class FrameReader
{
    /// <summary>
    /// Slices one whole frame off the front of <paramref name="buffer"/>; false (and nothing
    /// consumed) when the frame is not complete yet. A frame no honest peer sends throws
    /// <see cref="PeerProtocolException"/>, before anything is buffered for its claimed length.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out byte frameType, out ReadOnlySequence<byte> payload)
    {
        frameType = 0;
        payload = default;
        if (buffer.Length < FrameFormat.HeaderBytes)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[FrameFormat.HeaderBytes];
        var first = buffer.FirstSpan;
        if (first.Length >= FrameFormat.HeaderBytes)
        {
            first[..FrameFormat.HeaderBytes].CopyTo(header);
        }
        else
        {
            buffer.Slice(0, FrameFormat.HeaderBytes).CopyTo(header);
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length < FrameFormat.MinLength)
        {
            throw new PeerProtocolException($"frame length {length} is below the minimum {FrameFormat.MinLength}");
        }
        if (length > (uint)maxFrameBytes)
        {
            throw new PeerProtocolException($"frame length {length} exceeds the limit of {maxFrameBytes} bytes");
        }
        if (header[4] != FrameFormat.Version)
        {
            throw new PeerProtocolException($"frame version {header[4]} is not the supported version {FrameFormat.Version}");
        }
        var total = sizeof(uint) + (long)length;
        if (buffer.Length < total)
        {
            return false;
        }
        frameType = header[5];
        payload = buffer.Slice(FrameFormat.HeaderBytes, length - FrameFormat.MinLength);
        buffer = buffer.Slice(total);
        return true;
    }
}
