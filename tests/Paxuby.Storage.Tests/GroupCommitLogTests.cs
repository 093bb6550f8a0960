using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Paxuby.Consensus;
using Xunit.Abstractions;

namespace Paxuby.Storage.Tests;

public class GroupCommitLogTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static PersistRecords EntryAt(long slot) =>
        new([Records.Entry(new Random((int)slot), slot)], null, null);

    [Fact]
    public async Task Hundred_concurrent_appenders_share_fsyncs_and_every_acknowledged_record_is_recovered()
    {
        const int appenders = 100;
        using var directory = new TempDirectory();
        var log = WriteAheadLog.Open(directory.Path);
        // Holding the first fsync until every appender is queued makes the grouping certain
        // rather than a matter of timing.
        using var allQueued = new ManualResetEventSlim();
        log.BeforeSync = () => Assert.True(allQueued.Wait(Patience), "appenders never all queued");
        var queued = 0;
        var positions = new long[appenders];
        await using (var group = new GroupCommitLog(log, FsyncPolicy.Always))
        {
            var tasks = Enumerable.Range(0, appenders).Select(i => Task.Run(async () =>
            {
                var append = group.AppendAsync(EntryAt(i + 1));
                // AppendAsync returns once the append is in the queue (it has room for all).
                if (Interlocked.Increment(ref queued) == appenders)
                {
                    allQueued.Set();
                }
                positions[i] = await append;
                Assert.True(group.DurablePosition >= positions[i], "acknowledged before it was durable");
            })).ToArray();
            await Task.WhenAll(tasks).WaitAsync(Patience);
        }
        var syncs = log.SyncCount;
        log.Dispose();

        var (state, report) = WriteAheadLog.Recover(directory.Path);

        Assert.InRange(syncs, 1, 2);
        Assert.Equal(appenders, positions.Distinct().Count());
        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(Enumerable.Range(1, appenders).Select(i => (long)i), state.Entries.Keys.Order());
        for (var slot = 1; slot <= appenders; slot++)
        {
            Records.AssertEqual(EntryAt(slot).Entries[0], state.Entries[slot]);
        }
    }

    [Fact]
    public async Task A_compaction_queued_between_appends_runs_in_queue_order()
    {
        using var directory = new TempDirectory();
        var log = WriteAheadLog.Open(directory.Path, new WriteAheadLogOptions { SegmentSizeBytes = 1024 });
        var expected = new DurableState();
        await using (var group = new GroupCommitLog(log, FsyncPolicy.EverySec, time: new FakeTimeProvider()))
        {
            for (var slot = 1; slot <= 40; slot++)
            {
                _ = group.AppendAsync(EntryAt(slot));
                expected.Apply(EntryAt(slot));
            }
            expected.CompactThrough(30);
            var compacted = group.CompactAsync(expected.Clone());
            for (var slot = 41; slot <= 50; slot++)
            {
                _ = group.AppendAsync(EntryAt(slot));
                expected.Apply(EntryAt(slot));
            }

            var position = await compacted.AsTask().WaitAsync(Patience);
            Assert.True(group.DurablePosition >= position);
        }
        log.Dispose();

        var (state, report) = WriteAheadLog.Recover(directory.Path);

        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(30, state.SnapshotSlot);
        Assert.Equal(Enumerable.Range(31, 20).Select(i => (long)i), state.Entries.Keys.Order());
        Assert.Null(DurabilityModel.Diff(expected, state));
    }

    [Fact]
    public async Task Everysec_acknowledges_before_fsync_and_syncs_once_a_second_has_passed()
    {
        using var directory = new TempDirectory();
        using var log = WriteAheadLog.Open(directory.Path);
        var time = new FakeTimeProvider();
        await using var group = new GroupCommitLog(log, FsyncPolicy.EverySec, time: time);

        var first = await group.AppendAsync(EntryAt(1)).AsTask().WaitAsync(Patience);
        var firstDurable = group.WhenDurableAsync(first);

        Assert.Equal(0, log.SyncCount);
        Assert.False(firstDurable.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        // The writer's timer may have been armed just after the advance; an append wakes it anyway,
        // and either way it finds the second gone by and fsyncs once.
        await group.AppendAsync(EntryAt(2)).AsTask().WaitAsync(Patience);
        await firstDurable.WaitAsync(Patience);

        Assert.Equal(1, log.SyncCount);
    }

    [Fact]
    public async Task Policy_no_never_fsyncs_while_running_but_closing_does()
    {
        using var directory = new TempDirectory();
        using var log = WriteAheadLog.Open(directory.Path);
        await using (var group = new GroupCommitLog(log, FsyncPolicy.No))
        {
            for (var slot = 1; slot <= 20; slot++)
            {
                await group.AppendAsync(EntryAt(slot)).AsTask().WaitAsync(Patience);
            }
            Assert.Equal(0, log.SyncCount);
        }

        Assert.Equal(1, log.SyncCount);
        Assert.Equal(log.AppendedPosition, log.DurablePosition);
    }

    [Fact]
    public async Task After_dispose_appends_are_refused_and_waits_for_unwritten_positions_fail()
    {
        using var directory = new TempDirectory();
        using var log = WriteAheadLog.Open(directory.Path);
        var group = new GroupCommitLog(log, FsyncPolicy.Always);
        var written = await group.AppendAsync(EntryAt(1)).AsTask().WaitAsync(Patience);
        var neverWritten = group.WhenDurableAsync(written + 1);

        await group.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => group.AppendAsync(EntryAt(2)).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => neverWritten.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => group.WhenDurableAsync(written + 1).WaitAsync(Patience));
        await group.WhenDurableAsync(written).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_failed_fsync_fails_the_waiting_appenders_and_refuses_later_ones()
    {
        using var directory = new TempDirectory();
        using var log = WriteAheadLog.Open(directory.Path);
        log.BeforeSync = () => throw new IOException("disk gone");
        await using var group = new GroupCommitLog(log, FsyncPolicy.Always);

        var failed = await Assert.ThrowsAsync<IOException>(() => group.AppendAsync(EntryAt(1)).AsTask().WaitAsync(Patience));
        var refused = await Assert.ThrowsAsync<IOException>(() => group.AppendAsync(EntryAt(2)).AsTask().WaitAsync(Patience));

        Assert.Equal("disk gone", failed.InnerException?.Message);
        Assert.Equal("disk gone", refused.InnerException?.Message);
    }

    /// <summary>
    /// Not a benchmark, a figure: appends per second and records per fsync with Always under 50
    /// appenders each waiting for its acknowledgement before the next append, on the test machine's disk.
    /// </summary>
    [Fact]
    public async Task Always_with_fifty_appenders_groups_many_records_per_fsync()
    {
        const int appenders = 50;
        const int appendsEach = 100;
        using var directory = new TempDirectory();
        using var log = WriteAheadLog.Open(directory.Path);
        var clock = Stopwatch.StartNew();
        await using (var group = new GroupCommitLog(log, FsyncPolicy.Always))
        {
            var tasks = Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
            {
                for (var i = 0; i < appendsEach; i++)
                {
                    await group.AppendAsync(EntryAt(1 + a * appendsEach + i));
                }
            }));
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));
        }
        clock.Stop();

        var appends = appenders * appendsEach;
        var perSync = (double)appends / log.SyncCount;
        output.WriteLine(
            $"FsyncPolicy.Always, {appenders} appenders: {appends} appends in {clock.Elapsed.TotalMilliseconds:F0} ms = " +
            $"{appends / clock.Elapsed.TotalSeconds:F0} appends/s, {log.SyncCount} fsyncs, {perSync:F1} records per fsync");
        Assert.True(perSync > 2, $"only {perSync:F1} records per fsync");
    }
}
