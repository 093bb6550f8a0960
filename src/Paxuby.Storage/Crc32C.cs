using System.Buffers.Binary;
using System.Numerics;

namespace Paxuby.Storage;

/// <summary>
/// CRC-32C (Castagnoli, as in iSCSI and ext4). System.IO.Hashing 10 has only the IEEE CRC-32, so
/// this uses the runtime's <see cref="BitOperations.Crc32C(uint, ulong)"/>, which runs on the
/// SSE4.2/ARMv8 CRC instructions where present.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    public static uint Compute(byte first, ReadOnlySpan<byte> rest) =>
        ~Append(BitOperations.Crc32C(uint.MaxValue, first), rest);

    /// <summary>The running state before any data: feed it to <see cref="Append"/>, finish with <see cref="Finish"/>.</summary>
    public const uint Start = uint.MaxValue;

    public static uint Finish(uint crc) => ~crc;

    /// <summary>Continues a running CRC (see <see cref="Start"/>) over more data.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return crc;
    }
}
