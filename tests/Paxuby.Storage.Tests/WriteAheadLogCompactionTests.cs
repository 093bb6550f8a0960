using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

public class WriteAheadLogCompactionTests
{
    private static readonly WriteAheadLogOptions TinySegments = new() { SegmentSizeBytes = 512 };

    /// <summary>Appends <paramref name="readies"/> to a log in <paramref name="directory"/> and returns the state they make.</summary>
    private static DurableState Fill(string directory, List<PersistRecords> readies)
    {
        using var log = WriteAheadLog.Open(directory, TinySegments);
        readies.ForEach(r => log.Append(r));
        log.Sync();
        return Records.StateOf(readies);
    }

    private static DurableState Compacted(DurableState state, long floor)
    {
        var compacted = state.Clone();
        compacted.CompactThrough(floor);
        return compacted;
    }

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory).ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);

    private static void Restore(string directory, Dictionary<string, byte[]> files)
    {
        foreach (var path in Directory.GetFiles(directory))
        {
            File.Delete(path);
        }
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }

    private static void AssertSame(DurableState expected, DurableState actual)
    {
        Assert.Null(DurabilityModel.Diff(expected, actual));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(9 * 1024 * 1024)] // preallocated past the step by which a stale segment is shrunk before it goes
    public async Task Compaction_that_deletes_in_the_background_leaves_one_segment_once_the_deletion_is_done(long segmentBytes)
    {
        using var directory = new TempDirectory();
        var state = Fill(directory.Path, Records.Readies(seed: 2, count: 300));
        var expected = Compacted(state, state.CommitIndex / 2);
        var options = new WriteAheadLogOptions { SegmentSizeBytes = segmentBytes, DeleteStaleSegmentsInBackground = true };
        using (var log = WriteAheadLog.Open(directory.Path, options))
        {
            log.Compact(expected);
            await log.StaleSegmentsDeleted;
            Assert.Single(directory.Segments());
            // A second compaction waits for nothing left over from the first.
            log.Compact(expected);
            await log.StaleSegmentsDeleted;
            Assert.Single(directory.Segments());
        }

        var (recovered, report) = WriteAheadLog.Recover(directory.Path);

        AssertSame(expected, recovered);
        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public void Compaction_leaves_one_segment_that_recovers_the_state_above_the_floor()
    {
        using var directory = new TempDirectory();
        var state = Fill(directory.Path, Records.Readies(seed: 1, count: 300));
        Assert.True(directory.Segments().Length > 10);
        var expected = Compacted(state, state.CommitIndex / 2);
        long position;
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            var before = log.AppendedPosition;
            log.Compact(expected);
            position = log.AppendedPosition;
            Assert.Equal(position, log.DurablePosition);
            Assert.Equal(SegmentFile.NameFor(before), Path.GetFileName(Assert.Single(directory.Segments())));
            Assert.Equal(before + 1 + expected.Entries.Count + 2, position);
        }

        var (recovered, report) = WriteAheadLog.Recover(directory.Path);

        AssertSame(expected, recovered);
        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(expected.SnapshotSlot, report.SnapshotSlot);
        Assert.Equal(position, report.NextRecordNumber);
        Assert.Contains($"above snapshot slot {expected.SnapshotSlot}", report.ToString());
    }

    [Fact]
    public void Appends_after_compaction_keep_the_numbering_and_recover_on_top_of_it()
    {
        using var directory = new TempDirectory();
        var first = Records.Readies(seed: 2, count: 100);
        var state = Fill(directory.Path, first);
        var expected = Compacted(state, 20);
        var more = Records.Readies(seed: 3, count: 100).Select(r => new PersistRecords(r.Entries.Where(e => e.Slot > 20).ToList(), r.PromisedBallot, r.CommitIndex)).ToList();
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            log.Compact(expected);
            more.ForEach(r => log.Append(r));
            more.ForEach(expected.Apply);
        }
        var reopened = WriteAheadLog.Recover(directory.Path).Report.NextRecordNumber;
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            Assert.Equal(reopened, log.AppendedPosition);
        }

        var (recovered, report) = WriteAheadLog.Recover(directory.Path);

        AssertSame(expected, recovered);
        Assert.True(report.IsClean, report.ToString());
        long next = -1;
        foreach (var segment in directory.Segments())
        {
            var firstRecord = long.Parse(Path.GetFileNameWithoutExtension(segment));
            Assert.True(next == -1 || next == firstRecord, $"{Path.GetFileName(segment)} after record {next}");
            next = firstRecord + SegmentScan.Replay(File.ReadAllBytes(segment), state: null).RecordCount;
        }
        Assert.Equal(reopened, next);
    }

    [Fact]
    public void A_compacted_state_larger_than_a_segment_stays_in_one_segment()
    {
        using var directory = new TempDirectory();
        var state = Fill(directory.Path, Records.Readies(seed: 4, count: 200));
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            log.Compact(state);
        }

        var segment = Assert.Single(directory.Segments());
        Assert.True(new FileInfo(segment).Length > 512 * 4);
        AssertSame(state, WriteAheadLog.Recover(directory.Path).State);
    }

    [Fact]
    public void Compacting_a_fresh_log_and_compacting_twice_recover_the_last_state()
    {
        using var directory = new TempDirectory();
        var state = new DurableState { PromisedBallot = new Ballot(3, 1), CommitIndex = 5 };
        state.Apply(new PersistRecords([Records.Entry(new Random(1), 9)], null, null));
        state.CompactThrough(4);
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            log.Compact(state);
            state.CompactThrough(5);
            log.Compact(state);
        }

        AssertSame(state, WriteAheadLog.Recover(directory.Path).State);
        Assert.Single(directory.Segments());
    }

    [Fact]
    public void Killed_at_any_byte_of_the_new_segment_recovery_keeps_the_old_segments_and_removes_the_new_one()
    {
        using var directory = new TempDirectory();
        var state = Fill(directory.Path, Records.Readies(seed: 5, count: 80));
        var old = Files(directory.Path);
        var expected = Compacted(state, 10);
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            log.Compact(expected);
        }
        var (baseName, complete) = Files(directory.Path).Single();

        // Every byte of the SnapshotBase record and a bit more, then cuts spread over the rest, then all of it.
        var cuts = Enumerable.Range(0, 32).Concat(Enumerable.Range(1, 20).Select(i => complete.Length * i / 21)).Append(complete.Length);
        foreach (var cut in cuts)
        {
            // Killed after writing part of the new segment: nothing deleted yet.
            Restore(directory.Path, old);
            File.WriteAllBytes(Path.Combine(directory.Path, baseName), complete[..cut]);

            var (recovered, report) = WriteAheadLog.Recover(directory.Path);

            var isComplete = cut == complete.Length;
            AssertSame(isComplete ? expected : state, recovered);
            Assert.False(report.MiddleCorruption, report.ToString());
            Assert.Equal(isComplete ? old.Count : 0, report.StaleSegmentsRemoved);
            using var log = WriteAheadLog.Open(directory.Path, TinySegments);
            Assert.Equal(report.NextRecordNumber, log.AppendedPosition);
            log.Append(new PersistRecords([], null, 1_000));
        }
    }

    [Fact]
    public void Killed_while_deleting_the_old_segments_recovery_uses_the_new_one_and_finishes_the_deletion()
    {
        using var directory = new TempDirectory();
        var state = Fill(directory.Path, Records.Readies(seed: 6, count: 80));
        var old = Files(directory.Path);
        var expected = Compacted(state, 10);
        using (var log = WriteAheadLog.Open(directory.Path, TinySegments))
        {
            log.Compact(expected);
        }
        var compacted = Files(directory.Path);
        var oldNames = old.Keys.Order(StringComparer.Ordinal).ToList();

        for (var deleted = 0; deleted < oldNames.Count; deleted++)
        {
            Restore(directory.Path, compacted);
            foreach (var name in oldNames.Skip(deleted))
            {
                File.WriteAllBytes(Path.Combine(directory.Path, name), old[name]);
            }

            var (recovered, report) = WriteAheadLog.Recover(directory.Path);

            AssertSame(expected, recovered);
            Assert.Equal(oldNames.Count - deleted, report.StaleSegmentsRemoved);
            Assert.Single(directory.Segments());
        }
    }
}
