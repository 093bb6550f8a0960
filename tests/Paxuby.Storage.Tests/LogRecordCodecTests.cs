using System.Buffers.Binary;
using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

public class LogRecordCodecTests
{
    private static byte[] Encode(LogEntry entry)
    {
        var bytes = new byte[LogRecordCodec.EntryBytes(entry)];
        LogRecordCodec.WriteEntry(bytes, entry);
        return bytes;
    }

    private static LogEntry EntryWithCommands(params byte[][] payloads)
    {
        var ballot = new Ballot(7, 2);
        var commands = payloads.Select((p, i) => new Command(-5 + i, long.MaxValue - i, 1_700_000_000_000 + i, p)).ToArray();
        return new LogEntry(long.MaxValue, new Ballot(9, 1), new Batch(new BatchId(ballot, 42), 123_456, commands));
    }

    [Fact]
    public void Entries_with_commands_round_trip_exactly()
    {
        var random = new Random(11);
        var entries = Enumerable.Range(1, 200).Select(slot => Records.Entry(random, slot)).ToList();
        entries.Add(EntryWithCommands([], [0], new byte[100_000]));
        entries.Add(new LogEntry(3, new Ballot(1, 0), Batch.NoOp(new BatchId(new Ballot(1, 0), 3), 0)));

        foreach (var entry in entries)
        {
            Records.AssertEqual(entry, LogRecordCodec.ReadEntry(Encode(entry)));
        }
    }

    [Fact]
    public void Snapshot_base_round_trips_and_its_layout_is_pinned()
    {
        var bytes = new byte[LogRecordCodec.SnapshotBaseBytes];
        LogRecordCodec.WriteSnapshotBase(bytes, 0x0102030405060708, 3);

        Assert.Equal((0x0102030405060708L, 3L), LogRecordCodec.ReadSnapshotBase(bytes));
        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0], bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), -1);
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadSnapshotBase(bytes));
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadSnapshotBase(bytes.AsSpan(0, 15)));
    }

    [Fact]
    public void Promise_and_commit_round_trip_exactly()
    {
        var bytes = new byte[LogRecordCodec.PromiseBytes];
        LogRecordCodec.WritePromise(bytes, new Ballot(long.MaxValue, int.MaxValue));
        Assert.Equal(new Ballot(long.MaxValue, int.MaxValue), LogRecordCodec.ReadPromise(bytes));

        bytes = new byte[LogRecordCodec.CommitBytes];
        LogRecordCodec.WriteCommit(bytes, long.MinValue);
        Assert.Equal(long.MinValue, LogRecordCodec.ReadCommit(bytes));
    }

    [Fact]
    public void Every_truncated_prefix_of_an_entry_is_rejected()
    {
        var bytes = Encode(EntryWithCommands([1, 2, 3], [], [4]));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadEntry(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Trailing_bytes_after_a_record_are_rejected()
    {
        var bytes = Encode(EntryWithCommands([1])).Append((byte)0).ToArray();
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadEntry(bytes));
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadPromise(new byte[LogRecordCodec.PromiseBytes + 1]));
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadCommit(new byte[LogRecordCodec.CommitBytes - 1]));
    }

    [Fact]
    public void A_command_count_larger_than_the_bytes_left_is_rejected_before_allocating()
    {
        var bytes = Encode(EntryWithCommands());
        var countOffset = bytes.Length - sizeof(int);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countOffset), int.MaxValue);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadEntry(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "decoding allocated for the claimed count");

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countOffset), -1);
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadEntry(bytes));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(4)]
    public void A_command_payload_length_that_does_not_fit_is_rejected(int claimedLength)
    {
        var bytes = Encode(EntryWithCommands([1, 2, 3]));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 3 - sizeof(int)), claimedLength);
        Assert.Throws<CorruptRecordException>(() => LogRecordCodec.ReadEntry(bytes));
    }

    [Fact]
    public void Random_garbage_is_rejected_with_corrupt_record_and_nothing_else()
    {
        var random = new Random(5);
        var valid = Encode(EntryWithCommands([1, 2], [3]));
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 120)];
                random.NextBytes(input);
            }
            else
            {
                // Mutations of a valid record reach deeper into the decoder than pure noise.
                input = (byte[])valid.Clone();
                input[random.Next(input.Length)] = (byte)random.Next(256);
                input = input[..random.Next(input.Length + 1)];
            }
            try
            {
                LogRecordCodec.ReadEntry(input);
            }
            catch (CorruptRecordException)
            {
            }
        }
    }
}
