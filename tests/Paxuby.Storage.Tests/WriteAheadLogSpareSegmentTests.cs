using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

public class WriteAheadLogSpareSegmentTests
{
    private const long SegmentBytes = 64 * 1024;

    /// <summary>
    /// Unreserved fallback segments end with their last record, so a segment as long as the segment
    /// size (and more than its records) can only be a zero-filled spare.
    /// </summary>
    private static readonly WriteAheadLogOptions WithSpares = new()
    {
        SegmentSizeBytes = SegmentBytes,
        PreallocateSegments = false,
        PrepareSegmentsInBackground = true,
    };

    private static string SparePath(TempDirectory directory) => Path.Combine(directory.Path, SpareSegment.FileName);

    private static void AssertRecovers(TempDirectory directory, IEnumerable<PersistRecords> written)
    {
        var (recovered, report) = WriteAheadLog.Recover(directory.Path);
        Assert.Null(DurabilityModel.Diff(Records.StateOf(written), recovered));
        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public async Task A_log_reopened_on_a_segment_with_records_moves_to_the_zero_filled_spare_once_it_is_ready()
    {
        using var directory = new TempDirectory();
        var readies = Records.Readies(seed: 11, count: 40);
        using (var log = WriteAheadLog.Open(directory.Path, WithSpares with { PrepareSegmentsInBackground = false }))
        {
            log.Append(readies[0]);
        }
        using (var log = WriteAheadLog.Open(directory.Path, WithSpares))
        {
            Assert.True(await log.SparePrepared);
            Assert.Equal(SegmentBytes, new FileInfo(SparePath(directory)).Length);

            readies.Skip(1).ToList().ForEach(r => log.Append(r));
            log.Sync();

            var segments = directory.Segments();
            Assert.Equal(2, segments.Length);
            Assert.Equal(SegmentBytes, new FileInfo(segments[1]).Length);
            // The next spare is under way as soon as this one became a segment.
            Assert.True(await log.SparePrepared);
            Assert.True(File.Exists(SparePath(directory)));
        }
        AssertRecovers(directory, readies);
    }

    [Fact]
    public async Task An_empty_first_segment_is_replaced_by_the_spare_under_its_own_name()
    {
        using var directory = new TempDirectory();
        var readies = Records.Readies(seed: 12, count: 10);
        using (var log = WriteAheadLog.Open(directory.Path, WithSpares))
        {
            Assert.True(await log.SparePrepared);
            readies.ForEach(r => log.Append(r));
            log.Sync();
        }
        var segment = Assert.Single(directory.Segments());
        Assert.Equal(SegmentFile.NameFor(0), Path.GetFileName(segment));
        Assert.Equal(SegmentBytes, new FileInfo(segment).Length);
        AssertRecovers(directory, readies);
    }

    [Fact]
    public async Task Every_roll_takes_a_ready_spare_and_the_log_recovers_across_them()
    {
        using var directory = new TempDirectory();
        var readies = Records.Readies(seed: 13, count: 3000);
        using (var log = WriteAheadLog.Open(directory.Path, WithSpares))
        {
            foreach (var ready in readies)
            {
                // Waiting for each spare makes every segment a spare, the empty first one included.
                Assert.True(await log.SparePrepared);
                log.Append(ready);
            }
            log.Sync();
        }
        var segments = directory.Segments();
        Assert.True(segments.Length > 3, $"{segments.Length} segments");
        Assert.All(segments, s => Assert.Equal(SegmentBytes, new FileInfo(s).Length));
        AssertRecovers(directory, readies);
    }

    [Fact]
    public async Task A_spare_left_behind_with_other_bytes_is_written_anew()
    {
        using var directory = new TempDirectory();
        var leftover = new byte[SegmentBytes / 2];
        new Random(15).NextBytes(leftover);
        File.WriteAllBytes(SparePath(directory), leftover);
        var readies = Records.Readies(seed: 15, count: 10);
        using (var log = WriteAheadLog.Open(directory.Path, WithSpares))
        {
            Assert.True(await log.SparePrepared);
            Assert.All(File.ReadAllBytes(SparePath(directory)), b => Assert.Equal(0, b));
            readies.ForEach(r => log.Append(r));
            log.Sync();
        }
        AssertRecovers(directory, readies);
    }

    [Fact]
    public async Task Closing_the_log_stops_the_spare_it_is_writing()
    {
        using var directory = new TempDirectory();
        // 64 steps of 1 MiB with a pause after each: seconds of work, stopped at its start.
        var log = WriteAheadLog.Open(directory.Path, WithSpares with { SegmentSizeBytes = 64L * 1024 * 1024 });
        var spare = log.SparePrepared;

        log.Dispose();

        Assert.True(spare.IsCompleted);
        Assert.False(await spare);
    }

    [Fact]
    public void Without_background_spares_no_spare_is_written()
    {
        using var directory = new TempDirectory();
        var readies = Records.Readies(seed: 16, count: 3000);
        using (var log = WriteAheadLog.Open(directory.Path, WithSpares with { PrepareSegmentsInBackground = false }))
        {
            readies.ForEach(r => log.Append(r));
            log.Sync();
        }
        Assert.False(File.Exists(SparePath(directory)));
        AssertRecovers(directory, readies);
    }
}
