using System.Buffers.Binary;

namespace Paxuby.Storage;

/// <summary>
/// How one record sits in a segment: <c>[length u32][crc32c u32][type u8][payload]</c>,
/// little-endian, where length counts the payload bytes and the CRC covers type and payload.
/// </summary>
internal static class RecordFrame
{
    public const int TypeOffset = sizeof(uint) + sizeof(uint);

    public const int HeaderBytes = TypeOffset + sizeof(byte);

    /// <summary>Fills the header of a frame whose payload is already in place after it.</summary>
    public static void Seal(Span<byte> frame, RecordType type)
    {
        var payload = frame[HeaderBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        frame[TypeOffset] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Compute((byte)type, payload));
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="data"/>; on failure, <paramref name="problem"/>
    /// says why (a frame cut short by the end of the data, a bad type, a CRC mismatch).
    /// </summary>
    public static bool TryRead(
        ReadOnlySpan<byte> data, out RecordType type, out ReadOnlySpan<byte> payload, out int frameBytes, out string problem)
    {
        type = default;
        payload = default;
        frameBytes = 0;
        if (data.Length < HeaderBytes)
        {
            problem = $"header cut short ({data.Length} of {HeaderBytes} bytes)";
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length > (uint)(data.Length - HeaderBytes))
        {
            problem = $"payload of {length} bytes runs past the end ({data.Length - HeaderBytes} left)";
            return false;
        }
        var rawType = data[TypeOffset];
        if (rawType is < (byte)RecordType.Entry or > (byte)RecordType.SnapshotBase)
        {
            problem = $"unknown record type {rawType}";
            return false;
        }
        var body = data.Slice(HeaderBytes, (int)length);
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (Crc32C.Compute(rawType, body) != expected)
        {
            problem = "checksum mismatch";
            return false;
        }
        type = (RecordType)rawType;
        payload = body;
        frameBytes = HeaderBytes + (int)length;
        problem = "";
        return true;
    }
}
