using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

public class WriteAheadLogTests
{
    private static readonly WriteAheadLogOptions TinySegments = new() { SegmentSizeBytes = 512 };

    /// <summary>A segment that ends with its last record, so that its byte offsets are record ends.</summary>
    private static readonly WriteAheadLogOptions UnreservedSegment = new() { PreallocateSegments = false };

    /// <summary>Writes one record per Append and returns each record's end offset in the (single) segment.</summary>
    private static List<long> WriteOneSegment(string directory, List<PersistRecords> records)
    {
        var ends = new List<long>();
        using var log = WriteAheadLog.Open(directory, UnreservedSegment);
        var segment = Path.Combine(directory, SegmentFile.NameFor(0));
        foreach (var record in records)
        {
            log.Append(record);
            ends.Add(new FileInfo(segment).Length);
        }
        log.Sync();
        return ends;
    }

    /// <summary>
    /// One unreserved segment of small records and a large last one, to cut the last one short:
    /// the segment, its bytes, where the last record starts, the state without it and how many records precede it.
    /// </summary>
    private static (string Segment, byte[] Bytes, long LastStart, DurableState WithoutLast, int RecordsBefore) SegmentEndingInALargeRecord(
        TempDirectory directory, int seed, int count, int lastPayloadBytes)
    {
        var records = Records.OneRecordEach(Records.Readies(seed, count));
        records.Add(new PersistRecords([Records.Entry(new Random(seed + 1), lastPayloadBytes)], null, null));
        var ends = WriteOneSegment(directory.Path, records);
        var segment = directory.Segments()[0];
        return (segment, File.ReadAllBytes(segment), ends[^2], Records.StateOf(records.SkipLast(1)), records.Count - 1);
    }

    /// <summary>The bytes of a record cut short at <paramref name="cut"/> that hold anything: trailing zeros read as unused space.</summary>
    private static long TornBytes(byte[] full, long lastStart, long cut) =>
        full.AsSpan((int)lastStart, (int)(cut - lastStart)).LastIndexOfAnyExcept((byte)0) + 1;

    [Fact]
    public void An_empty_directory_recovers_an_empty_state()
    {
        using var directory = new TempDirectory();
        var (state, report) = WriteAheadLog.Recover(directory.Path);
        Records.AssertEqual(new DurableState(), state);
        Assert.True(report.IsClean);
        Assert.Equal(0, report.RecordCount);
    }

    [Fact]
    public void Many_records_across_many_segments_recover_the_same_state()
    {
        using var directory = new TempDirectory();
        var readies = Records.Readies(seed: 1, count: 400);
        long position;
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            readies.ForEach(r => log.Append(r));
            position = log.AppendedPosition;
            log.Sync();
            Assert.Equal(position, log.DurablePosition);
        }

        var (state, report) = WriteAheadLog.Recover(directory.Path);

        Records.AssertEqual(Records.StateOf(readies), state);
        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(Records.OneRecordEach(readies).Count, report.RecordCount);
        Assert.Equal(position, report.NextRecordNumber);
        Assert.True(directory.Segments().Length > 10, $"only {directory.Segments().Length} segments");
        Assert.Equal(directory.Segments().Length, report.SegmentCount);
        Assert.All(directory.Segments(), s => Assert.InRange(new FileInfo(s).Length, 1, 512));
    }

    [Fact]
    public void Segments_are_named_after_their_first_record_number()
    {
        using var directory = new TempDirectory();
        var records = Records.OneRecordEach(Records.Readies(seed: 2, count: 100));
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            foreach (var record in records)
            {
                log.Append(record);
            }
        }

        long expectedFirst = 0;
        foreach (var segment in directory.Segments())
        {
            Assert.Equal(SegmentFile.NameFor(expectedFirst), Path.GetFileName(segment));
            var one = Path.Combine(directory.Path, "alone");
            Directory.CreateDirectory(one);
            File.Copy(segment, Path.Combine(one, SegmentFile.NameFor(0)));
            expectedFirst += WriteAheadLog.Recover(one).Report.RecordCount;
            Directory.Delete(one, recursive: true);
        }
        Assert.Equal(records.Count, expectedFirst);
    }

    [Fact]
    public void Reopening_continues_the_numbering_and_recovery_replays_both_runs()
    {
        using var directory = new TempDirectory();
        var first = Records.Readies(seed: 3, count: 60);
        var second = Records.Readies(seed: 4, count: 60);
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            first.ForEach(r => log.Append(r));
        }
        var afterFirst = WriteAheadLog.Recover(directory.Path).Report.NextRecordNumber;
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            Assert.Equal(afterFirst, log.AppendedPosition);
            second.ForEach(r => log.Append(r));
        }

        var (state, report) = WriteAheadLog.Recover(directory.Path);

        Records.AssertEqual(Records.StateOf(first.Concat(second)), state);
        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public void A_final_record_torn_at_every_byte_recovers_the_state_before_it_and_is_truncated()
    {
        using var directory = new TempDirectory();
        var (segment, full, lastStart, expected, _) = SegmentEndingInALargeRecord(directory, seed: 5, count: 30, lastPayloadBytes: 1_000);

        for (var cut = lastStart; cut < full.Length; cut++)
        {
            File.WriteAllBytes(segment, full[..(int)cut]);

            var (state, report) = WriteAheadLog.Recover(directory.Path);

            Records.AssertEqual(expected, state);
            Assert.Equal(lastStart, new FileInfo(segment).Length);
            Assert.False(report.MiddleCorruption);
            Assert.Equal(cut > lastStart, report.TailTruncated);
            if (report.TailTruncated)
            {
                var torn = TornBytes(full, lastStart, cut);
                Assert.Equal(torn, report.TruncatedBytes);
                Assert.Equal(lastStart, report.Offset);
                Assert.Contains($"truncated {torn} bytes at offset {lastStart} in segment {Path.GetFileName(segment)}", report.ToString());
            }
        }
    }

    [Fact]
    public void A_flipped_bit_anywhere_in_the_last_record_truncates_it_and_reports_it()
    {
        using var directory = new TempDirectory();
        var records = Records.OneRecordEach(Records.Readies(seed: 7, count: 20));
        var ends = WriteOneSegment(directory.Path, records);
        var segment = directory.Segments()[0];
        var full = File.ReadAllBytes(segment);
        var lastStart = ends[^2];
        var expected = Records.StateOf(records.SkipLast(1));

        for (var at = lastStart; at < full.Length; at++)
        {
            var damaged = (byte[])full.Clone();
            damaged[at] ^= 0x10;
            File.WriteAllBytes(segment, damaged);

            var (state, report) = WriteAheadLog.Recover(directory.Path);

            Records.AssertEqual(expected, state);
            Assert.True(report.TailTruncated, $"byte {at}: {report}");
            Assert.False(report.MiddleCorruption);
            Assert.Equal(lastStart, report.Offset);
            Assert.Equal(lastStart, new FileInfo(segment).Length);
        }
    }

    [Fact]
    public void A_flipped_bit_in_a_middle_record_is_reported_and_nothing_after_it_is_applied()
    {
        using var directory = new TempDirectory();
        var records = Records.OneRecordEach(Records.Readies(seed: 8, count: 40));
        var ends = WriteOneSegment(directory.Path, records);
        var segment = directory.Segments()[0];
        var full = File.ReadAllBytes(segment);
        var middle = records.Count / 2;
        var middleStart = ends[middle - 1];

        for (var at = middleStart; at < ends[middle]; at++)
        {
            var damaged = (byte[])full.Clone();
            damaged[at] ^= 0x01;
            File.WriteAllBytes(segment, damaged);

            var (state, report) = WriteAheadLog.Recover(directory.Path);

            Assert.True(report.MiddleCorruption, $"byte {at}: {report}");
            Assert.False(report.TailTruncated);
            Assert.Equal(middleStart, report.Offset);
            Assert.Equal(middle, report.RecordCount);
            Records.AssertEqual(Records.StateOf(records.Take(middle)), state);
            Assert.Equal(damaged, File.ReadAllBytes(segment));
        }
    }

    [Fact]
    public void Damage_at_the_end_of_an_earlier_segment_is_middle_corruption()
    {
        using var directory = new TempDirectory();
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            Records.Readies(seed: 9, count: 100).ForEach(r => log.Append(r));
        }
        // The last record's last byte lost, as a torn write of a preallocated segment shows it.
        var second = directory.Segments()[1];
        var damaged = File.ReadAllBytes(second);
        damaged[damaged.AsSpan().LastIndexOfAnyExcept((byte)0)] = 0;
        File.WriteAllBytes(second, damaged);

        var (_, report) = WriteAheadLog.Recover(directory.Path);

        Assert.True(report.MiddleCorruption, report.ToString());
        Assert.Equal(Path.GetFileName(second), report.Segment);
        Assert.Equal(damaged, File.ReadAllBytes(second));
    }

    [Fact]
    public void A_missing_segment_is_middle_corruption_and_later_segments_are_not_applied()
    {
        using var directory = new TempDirectory();
        var records = Records.OneRecordEach(Records.Readies(seed: 10, count: 100));
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            records.ForEach(r => log.Append(r));
        }
        var segments = directory.Segments();
        File.Delete(segments[2]);

        var (state, report) = WriteAheadLog.Recover(directory.Path);

        var kept = RecordCount(segments[0]) + RecordCount(segments[1]);
        Assert.True(report.MiddleCorruption, report.ToString());
        Assert.Equal(Path.GetFileName(segments[3]), report.Segment);
        Assert.Equal(kept, report.RecordCount);
        Records.AssertEqual(Records.StateOf(records.Take((int)kept)), state);
    }

    private static long RecordCount(string segment) =>
        SegmentScan.Replay(File.ReadAllBytes(segment), state: null).RecordCount;

    [Fact]
    public void Opening_a_log_with_a_torn_tail_is_refused_until_it_is_recovered()
    {
        using var directory = new TempDirectory();
        var records = Records.OneRecordEach(Records.Readies(seed: 11, count: 10));
        WriteOneSegment(directory.Path, records);
        var segment = directory.Segments()[0];
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(stream.Length - 3);
        }

        Assert.Throws<InvalidDataException>(() => WriteAheadLog.Open(directory.Path).Dispose());
        var (_, report) = WriteAheadLog.Recover(directory.Path);
        using var log = WriteAheadLog.Open(directory.Path);

        Assert.True(report.TailTruncated);
        Assert.Equal(records.Count - 1, log.AppendedPosition);
    }

    [Fact]
    public void A_segment_is_preallocated_and_its_zero_end_is_unused_space_to_append_in()
    {
        using var directory = new TempDirectory();
        var options = new WriteAheadLogOptions { SegmentSizeBytes = 64 * 1024 };
        var first = Records.Readies(seed: 12, count: 20);
        var second = Records.Readies(seed: 13, count: 20);
        using (var log = WriteAheadLog.Open(directory.Path, options))
        {
            first.ForEach(r => log.Append(r));
            log.Sync();
        }
        var segment = Assert.Single(directory.Segments());
        Assert.Equal(64 * 1024, new FileInfo(segment).Length);

        var (_, reopened) = WriteAheadLog.Recover(directory.Path);
        using (var log = WriteAheadLog.Open(directory.Path, options))
        {
            Assert.Equal(reopened.NextRecordNumber, log.AppendedPosition);
            second.ForEach(r => log.Append(r));
            log.Sync();
        }
        var (state, report) = WriteAheadLog.Recover(directory.Path);

        Assert.True(reopened.IsClean, reopened.ToString());
        Assert.True(report.IsClean, report.ToString());
        Assert.Single(directory.Segments());
        Assert.Equal(Records.OneRecordEach(first.Concat(second).ToList()).Count, report.RecordCount);
        Records.AssertEqual(Records.StateOf(first.Concat(second)), state);
    }

    [Fact]
    public void A_final_record_torn_at_every_byte_of_a_preallocated_segment_recovers_the_state_before_it()
    {
        using var directory = new TempDirectory();
        var (segment, full, lastStart, expected, recordsBefore) = SegmentEndingInALargeRecord(directory, seed: 14, count: 10, lastPayloadBytes: 300);

        for (var cut = lastStart; cut < full.Length; cut++)
        {
            // What a crash leaves of a write into reserved space: a prefix of it, then the zeros.
            var reserved = new byte[full.Length + 4096];
            full.AsSpan(0, (int)cut).CopyTo(reserved);
            File.WriteAllBytes(segment, reserved);

            var (state, report) = WriteAheadLog.Recover(directory.Path);
            using var log = WriteAheadLog.Open(directory.Path);

            // A prefix that is all zeros is indistinguishable from the unused end: nothing to cut.
            var torn = TornBytes(full, lastStart, cut);
            Records.AssertEqual(expected, state);
            Assert.False(report.MiddleCorruption, $"cut at {cut}: {report}");
            Assert.Equal(torn > 0, report.TailTruncated);
            Assert.Equal(torn, report.TruncatedBytes);
            Assert.Equal(recordsBefore, log.AppendedPosition);
        }
    }
}
