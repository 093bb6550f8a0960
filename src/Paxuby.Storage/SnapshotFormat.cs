using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace Paxuby.Storage;

/// <summary>
/// A snapshot file: <c>[magic "PXSN"][version u32][slot i64][payload][total length i64][crc32c u32]</c>,
/// little-endian, where the total length counts the whole file and the CRC covers every byte before it.
/// Named <c>snapshot-{slot:D20}.snap</c>; <c>.tmp</c> while written, <c>.part</c> while received.
/// </summary>
internal static class SnapshotFormat
{
    public const uint Version = 1;
    public const int HeaderBytes = 4 + sizeof(uint) + sizeof(long);
    public const int TrailerBytes = sizeof(long) + sizeof(uint);
    public const int OverheadBytes = HeaderBytes + TrailerBytes;
    public const string Committed = ".snap";
    public const string Writing = ".tmp";
    public const string Receiving = ".part";
    public const int BufferBytes = 64 * 1024;

    /// <summary>
    /// A snapshot being written is synced after each this many bytes, not only at its commit: a
    /// log's fsync on the same disk waits for whatever was written before it, so the snapshot
    /// reaches the disk in small steps rather than in one burst that stalls every log behind it.
    /// </summary>
    public const int IncrementalSyncBytes = 1024 * 1024;

    private const string Prefix = "snapshot-";
    private const int Digits = 20;

    public static ReadOnlySpan<byte> Magic => "PXSN"u8;

    public static string NameFor(long slot, string extension) =>
        Prefix + slot.ToString(new string('0', Digits), CultureInfo.InvariantCulture) + extension;

    public static bool TryParseSlot(string name, string extension, out long slot)
    {
        slot = 0;
        return name.Length == Prefix.Length + Digits + extension.Length
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(extension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out slot);
    }

    public static void WriteHeader(Span<byte> destination, long slot)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], slot);
    }

    /// <summary>Fills the trailer of a file whose bytes before it have the running CRC <paramref name="crc"/>.</summary>
    public static void WriteTrailer(Span<byte> destination, long totalLength, uint crc)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, totalLength);
        crc = Crc32C.Append(crc, destination[..sizeof(long)]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[sizeof(long)..], Crc32C.Finish(crc));
    }

    /// <summary>Reads the whole file with a bounded buffer; returns why it is not a valid snapshot of <paramref name="slot"/>, or null.</summary>
    public static string? Verify(IStorageDevice device, string path, long slot)
    {
        var length = device.Length(path);
        if (length < OverheadBytes)
        {
            return $"{length} bytes, shorter than header and trailer";
        }
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        if (device.Read(path, length - TrailerBytes, trailer) != TrailerBytes)
        {
            return "cut short while reading";
        }
        if (BinaryPrimitives.ReadInt64LittleEndian(trailer) is var trailerLength && trailerLength != length)
        {
            return $"trailer says {trailerLength} bytes, the file has {length}";
        }
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            using var stream = device.OpenRead(path);
            var header = buffer.AsSpan(0, HeaderBytes);
            stream.ReadExactly(header);
            if (!header[..4].SequenceEqual(Magic))
            {
                return "bad magic";
            }
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) is var version && version != Version)
            {
                return $"unknown format version {version}";
            }
            if (BinaryPrimitives.ReadInt64LittleEndian(header[8..]) is var headerSlot && headerSlot != slot)
            {
                return $"header says slot {headerSlot}";
            }
            var crc = Crc32C.Append(Crc32C.Start, header);
            for (var left = length - HeaderBytes - sizeof(uint); left > 0;)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, left));
                stream.ReadExactly(chunk);
                crc = Crc32C.Append(crc, chunk);
                left -= chunk.Length;
            }
            return Crc32C.Finish(crc) == BinaryPrimitives.ReadUInt32LittleEndian(trailer[sizeof(long)..]) ? null : "checksum mismatch";
        }
        catch (EndOfStreamException)
        {
            return "cut short while reading";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
