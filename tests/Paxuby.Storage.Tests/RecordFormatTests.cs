using System.Buffers.Binary;
using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

public class RecordFormatTests
{
    [Fact]
    public void Record_type_numbers_are_pinned_because_they_are_on_disk()
    {
        Assert.Equal(1, (byte)RecordType.Entry);
        Assert.Equal(2, (byte)RecordType.Promise);
        Assert.Equal(3, (byte)RecordType.Commit);
        Assert.Equal(4, (byte)RecordType.SnapshotBase);
        Assert.Equal(4, Enum.GetValues<RecordType>().Length);
    }

    [Fact]
    public void Fsync_policy_numbers_are_pinned_because_configurations_may_store_them()
    {
        Assert.Equal(0, (int)FsyncPolicy.Always);
        Assert.Equal(1, (int)FsyncPolicy.EverySec);
        Assert.Equal(2, (int)FsyncPolicy.No);
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        // The CRC-32C catalogue check value: CRC of the ASCII digits 1 to 9.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
        Assert.Equal(Crc32C.Compute("123456789"u8), Crc32C.Compute((byte)'1', "23456789"u8));
    }

    [Fact]
    public void A_commit_record_is_length_crc_type_payload_little_endian()
    {
        using var directory = new TempDirectory();
        using (var log = WriteAheadLog.Open(directory.Path))
        {
            log.Append(new PersistRecords([], null, 0x0102030405060708));
            log.Sync();
        }

        var bytes = File.ReadAllBytes(Assert.Single(directory.Segments()));

        Assert.Equal("00000000000000000000.wal", Path.GetFileName(directory.Segments()[0]));
        // The segment is preallocated: zeros after the record.
        Assert.Equal(WriteAheadLogOptions.DefaultSegmentSizeBytes, bytes.Length);
        Assert.False(bytes.AsSpan(RecordFrame.HeaderBytes + 8).ContainsAnyExcept((byte)0));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal((byte)RecordType.Commit, bytes[8]);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, bytes[9..17]);
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(8, 9)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
    }
}
