using System.Buffers;
using Paxuby.Consensus;

namespace Paxuby.Storage;

/// <summary>
/// The replica's durable state as an append-only log: a directory of segment files holding
/// Entry, Promise and Commit records (see <see cref="RecordFrame"/> and <see cref="LogRecordCodec"/>).
/// Replaying it in order with <see cref="DurableState.Apply"/> rebuilds the state. <see cref="Compact"/>
/// replaces the segments with one that starts with a SnapshotBase record and holds the state above
/// the snapshot slot.
/// <para>
/// Positions are record numbers: <see cref="Append"/> returns the number after the last record it
/// wrote, and a position is durable once <see cref="DurablePosition"/> reaches it. Not thread-safe:
/// one writer at a time (<see cref="GroupCommitLog"/> is that writer for concurrent callers).
/// </para>
/// </summary>
public sealed class WriteAheadLog : IDisposable
{
    private const int PendingFlushBytes = 64 * 1024;

    private readonly IStorageDevice _device;
    private readonly string _directory;
    private readonly WriteAheadLogOptions _options;
    private readonly ArrayBufferWriter<byte> _pending = new(PendingFlushBytes);
    private readonly SpareSegment? _spare;
    private IAppendFile _segment;
    private bool _segmentZeroFilled;
    private long _segmentBytes;
    private long _appendedPosition;
    private long _durablePosition;
    private long _syncCount;
    private bool _failed;
    private bool _disposed;

    private WriteAheadLog(IStorageDevice device, string directory, WriteAheadLogOptions options, IAppendFile segment, long segmentBytes, long nextRecordNumber)
    {
        _device = device;
        _directory = directory;
        _options = options;
        _segment = segment;
        _segmentBytes = segmentBytes;
        _appendedPosition = nextRecordNumber;
        _durablePosition = nextRecordNumber;
        if (options.PrepareSegmentsInBackground)
        {
            _spare = new SpareSegment(device, directory, options.SegmentSizeBytes);
            _spare.StartPreparing();
        }
    }

    /// <summary>The record number the next record gets.</summary>
    public long AppendedPosition => _appendedPosition;

    /// <summary>Every record numbered below this is on disk.</summary>
    public long DurablePosition => Volatile.Read(ref _durablePosition);

    public bool HasUnsyncedRecords => DurablePosition < _appendedPosition;

    /// <summary>Fsyncs of segment data so far, segment rolls included.</summary>
    internal long SyncCount => Volatile.Read(ref _syncCount);

    /// <summary>Runs just before each fsync, on the writing thread: lets tests hold a sync back.</summary>
    internal Action? BeforeSync { get; set; }

    /// <summary>
    /// Deliberately broken, for tests only: <see cref="Compact"/> deletes the old segments before
    /// syncing the new one, so a crash in between loses the durable state. Proves the crash tests catch it.
    /// </summary>
    internal bool BrokenCompactDeletesBeforeSync { get; set; }

    /// <summary>
    /// Opens the log in <paramref name="directory"/> for appending, creating it when missing. The
    /// last segment must end with a whole, valid record: run <see cref="Recover"/> first, which
    /// cuts off a torn tail.
    /// </summary>
    public static WriteAheadLog Open(string directory, WriteAheadLogOptions? options = null, IStorageDevice? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new WriteAheadLogOptions();
        device ??= FileSystemDevice.Instance;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentSizeBytes, RecordFrame.HeaderBytes);
        device.CreateDirectory(directory);
        var segments = SegmentFile.List(device, directory);
        if (segments.Count == 0)
        {
            var segment = CreateReserved(device, Path.Combine(directory, SegmentFile.NameFor(0)), options);
            device.SyncDirectory(directory);
            return new WriteAheadLog(device, directory, options, segment, 0, 0);
        }
        var last = segments[^1];
        var scan = SegmentScan.Replay(device.ReadAll(last.Path), state: null);
        if (!scan.IsClean)
        {
            throw new InvalidDataException(
                $"segment {last.Name} has a bad record at offset {scan.ValidBytes} ({scan.Problem}): recover the log before appending");
        }
        // From the end of the last record: what follows is the zeros of a preallocated segment.
        var file = Reserve(device.OpenAppendAt(last.Path, scan.ValidBytes), options);
        return new WriteAheadLog(device, directory, options, file, scan.ValidBytes, last.FirstRecordNumber + scan.RecordCount);
    }

    /// <summary>
    /// Rebuilds the durable state from the segments in <paramref name="directory"/>, stopping at the
    /// first torn or corrupt record (zeros to the end of a segment are its preallocated, unused
    /// end). When nothing valid follows it, it is a write cut short by a crash: the last segment is
    /// truncated there. When valid records follow, the log is damaged in the middle: the report says
    /// so and nothing after the bad record is applied or removed.
    /// <para>
    /// Replay starts at the newest complete compacted segment (see <see cref="Compact"/>) and deletes
    /// the segments before it; a compacted segment cut short by a crash is deleted when older
    /// segments are there, since they still hold everything it repeats.
    /// </para>
    /// </summary>
    public static (DurableState State, RecoveryReport Report) Recover(string directory, IStorageDevice? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        device ??= FileSystemDevice.Instance;
        var state = new DurableState();
        var segments = SegmentFile.List(device, directory);
        var cleanup = RemoveCompactionLeftovers(device, directory, segments);
        if (segments.Count == 0)
        {
            return (state, cleanup);
        }
        long records = 0;
        var expectedFirst = segments[0].FirstRecordNumber;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var report = cleanup with
            {
                SegmentCount = segments.Count,
                RecordCount = records,
                NextRecordNumber = expectedFirst,
                SnapshotSlot = state.SnapshotSlot,
                Segment = segment.Name,
            };
            if (segment.FirstRecordNumber != expectedFirst)
            {
                return (state, report with
                {
                    MiddleCorruption = true,
                    Problem = $"segment starts at record {segment.FirstRecordNumber}, expected {expectedFirst}",
                });
            }
            var data = device.ReadAll(segment.Path);
            var scan = SegmentScan.Replay(data, state);
            records += scan.RecordCount;
            expectedFirst += scan.RecordCount;
            report = report with { RecordCount = records, NextRecordNumber = expectedFirst, SnapshotSlot = state.SnapshotSlot };
            if (scan.IsClean)
            {
                continue;
            }
            report = report with { Offset = scan.ValidBytes, Problem = scan.Problem };
            // Rolling fsyncs the old segment before creating the next, so a later segment means this
            // one was complete: damage here is in the middle even if nothing valid follows it here.
            var isLast = i == segments.Count - 1;
            if (!isLast || SegmentScan.HasValidRecordAfter(data, scan.ValidBytes))
            {
                return (state, report with { MiddleCorruption = true });
            }
            var written = Math.Max(scan.ValidBytes, SegmentScan.WrittenLength(data));
            device.Truncate(segment.Path, scan.ValidBytes);
            return (state, report with { TailTruncated = true, TruncatedBytes = written - scan.ValidBytes });
        }
        return (state, cleanup with
        {
            SegmentCount = segments.Count,
            RecordCount = records,
            NextRecordNumber = expectedFirst,
            SnapshotSlot = state.SnapshotSlot,
        });
    }

    /// <summary>
    /// Finishes or undoes a compaction a crash interrupted, removing the segments concerned from
    /// <paramref name="segments"/> too: before the newest complete compacted segment everything is
    /// stale; a last segment that starts a compaction but lacks records it announces, after older
    /// segments, never became durable as a whole (Compact syncs it before deleting them, and before
    /// anything may follow it), and those older segments hold everything it repeats.
    /// </summary>
    private static RecoveryReport RemoveCompactionLeftovers(IStorageDevice device, string directory, List<SegmentFile> segments)
    {
        var report = new RecoveryReport();
        var header = new byte[RecordFrame.HeaderBytes + LogRecordCodec.SnapshotBaseBytes];
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            var read = device.Read(segments[i].Path, 0, header);
            if (!RecordFrame.TryRead(header.AsSpan(0, read), out var type, out _, out _, out _) || type != RecordType.SnapshotBase)
            {
                continue;
            }
            if (SegmentScan.IsCompleteBase(device.ReadAll(segments[i].Path)))
            {
                if (i == 0)
                {
                    break;
                }
                foreach (var stale in segments[..i])
                {
                    device.Delete(stale.Path);
                }
                device.SyncDirectory(directory);
                segments.RemoveRange(0, i);
                report = report with { StaleSegmentsRemoved = i };
                break;
            }
            // Only when older segments hold what it repeats: alone, it is the log, and a bad record
            // in it is handled as in any segment (truncated at the tail, reported in the middle).
            if (i == segments.Count - 1 && i > 0)
            {
                device.Delete(segments[i].Path);
                device.SyncDirectory(directory);
                segments.RemoveAt(i);
                report = report with { IncompleteCompactionRemoved = true };
            }
        }
        return report;
    }

    /// <summary>
    /// Writes the records of one Ready in the order the core expects: entries, then the promised
    /// ballot, then the commit index. They reach the OS, not necessarily the disk: call
    /// <see cref="Sync"/>. Returns the position that makes them durable.
    /// </summary>
    public long Append(PersistRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        ThrowIfUnusable();
        try
        {
            MoveToSpareOnceReady();
            foreach (var entry in records.Entries)
            {
                var frame = Reserve(LogRecordCodec.EntryBytes(entry));
                LogRecordCodec.WriteEntry(frame[RecordFrame.HeaderBytes..], entry);
                Seal(frame, RecordType.Entry);
            }
            if (records.PromisedBallot is { } promised)
            {
                var frame = Reserve(LogRecordCodec.PromiseBytes);
                LogRecordCodec.WritePromise(frame[RecordFrame.HeaderBytes..], promised);
                Seal(frame, RecordType.Promise);
            }
            if (records.CommitIndex is { } commitIndex)
            {
                var frame = Reserve(LogRecordCodec.CommitBytes);
                LogRecordCodec.WriteCommit(frame[RecordFrame.HeaderBytes..], commitIndex);
                Seal(frame, RecordType.Commit);
            }
            WritePending();
            return _appendedPosition;
        }
        catch
        {
            // What reached the file is unknown now; recovery sorts it out, appending may not go on.
            _failed = true;
            throw;
        }
    }

    /// <summary>Makes everything appended so far durable.</summary>
    public void Sync()
    {
        ThrowIfUnusable();
        if (!HasUnsyncedRecords)
        {
            return;
        }
        try
        {
            SyncSegment();
        }
        catch
        {
            // After a failed fsync the kernel may have dropped the dirty pages: retrying could
            // report success for data that is gone (the 2018 PostgreSQL fsync lesson).
            _failed = true;
            throw;
        }
    }

    /// <summary>
    /// Rewrites the log as one segment that alone holds <paramref name="current"/>: a SnapshotBase
    /// record (the floor, <see cref="DurableState.SnapshotSlot"/>), every entry above the floor, the
    /// promise and the commit index; then deletes every older segment. Call it only once a snapshot
    /// of the state machine through that slot is durable, with the state this log holds (every
    /// record appended so far applied to it). It syncs everything; record numbers go on from
    /// <see cref="AppendedPosition"/>.
    /// <para>
    /// Crash safety: the old segments are synced first and deleted only once the new segment is
    /// synced, so a crash leaves either the old segments (plus a partial new one, which
    /// <see cref="Recover"/> deletes) or a complete new one (plus stale old ones, which it deletes).
    /// </para>
    /// </summary>
    public void Compact(DurableState current)
    {
        ArgumentNullException.ThrowIfNull(current);
        ThrowIfUnusable();
        try
        {
            // One deletion at a time: the previous compaction's, long finished as a rule.
            StaleSegmentsDeleted.Wait();
            WritePending();
            if (HasUnsyncedRecords)
            {
                SyncSegment();
            }
            if (_segmentBytes > 0)
            {
                _segment.Dispose();
                OpenNextSegment();
            }
            var baseFirst = _appendedPosition;
            WriteBase(current);
            if (BrokenCompactDeletesBeforeSync)
            {
                DeleteSegmentsBefore(baseFirst);
            }
            SyncSegment();
            if (_options.DeleteStaleSegmentsInBackground)
            {
                StaleSegmentsDeleted = Task.Run(() => DeleteStaleSegmentsBefore(baseFirst));
            }
            else
            {
                DeleteSegmentsBefore(baseFirst);
            }
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private const long StaleTruncationStepBytes = 4L * 1024 * 1024;

    /// <summary>The next segment's spare being written (false without one, see <see cref="WriteAheadLogOptions.PrepareSegmentsInBackground"/>).</summary>
    internal Task<bool> SparePrepared => _spare?.Prepared ?? Task.FromResult(false);

    /// <summary>Completes once the segments the last compaction made stale are deleted.</summary>
    internal Task StaleSegmentsDeleted { get; private set; } = Task.CompletedTask;

    private void DeleteStaleSegmentsBefore(long firstRecordNumber)
    {
        try
        {
            DeleteSegmentsBefore(firstRecordNumber, shrinkFirst: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // What is left is deleted by the next compaction, or by recovery.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        StaleSegmentsDeleted.Wait();
        _spare?.Dispose();
        try
        {
            if (!_failed && HasUnsyncedRecords)
            {
                SyncSegment();
            }
        }
        finally
        {
            _segment.Dispose();
        }
    }

    private Span<byte> Reserve(int payloadBytes)
    {
        var frameBytes = RecordFrame.HeaderBytes + payloadBytes;
        var used = _segmentBytes + _pending.WrittenCount;
        if (used > 0 && used + frameBytes > _options.SegmentSizeBytes)
        {
            WritePending();
            RollSegment();
        }
        return _pending.GetSpan(frameBytes)[..frameBytes];
    }

    /// <summary>Writes the compacted state into the current, empty segment, however large it gets.</summary>
    private void WriteBase(DurableState current)
    {
        var floor = current.SnapshotSlot;
        long entries = 0;
        foreach (var slot in current.Entries.Keys)
        {
            entries += slot > floor ? 1 : 0;
        }
        var frame = ReserveInSegment(LogRecordCodec.SnapshotBaseBytes);
        LogRecordCodec.WriteSnapshotBase(frame[RecordFrame.HeaderBytes..], floor, entries + 2);
        Seal(frame, RecordType.SnapshotBase);
        foreach (var (slot, entry) in current.Entries)
        {
            if (slot <= floor)
            {
                continue;
            }
            frame = ReserveInSegment(LogRecordCodec.EntryBytes(entry));
            LogRecordCodec.WriteEntry(frame[RecordFrame.HeaderBytes..], entry);
            Seal(frame, RecordType.Entry);
            if (_pending.WrittenCount >= PendingFlushBytes)
            {
                WritePending();
            }
        }
        // Entries before the commit index, as in every Ready: a commit index never survives without them.
        frame = ReserveInSegment(LogRecordCodec.PromiseBytes);
        LogRecordCodec.WritePromise(frame[RecordFrame.HeaderBytes..], current.PromisedBallot);
        Seal(frame, RecordType.Promise);
        frame = ReserveInSegment(LogRecordCodec.CommitBytes);
        LogRecordCodec.WriteCommit(frame[RecordFrame.HeaderBytes..], Math.Max(current.CommitIndex, floor));
        Seal(frame, RecordType.Commit);
        WritePending();
    }

    private Span<byte> ReserveInSegment(int payloadBytes)
    {
        var frameBytes = RecordFrame.HeaderBytes + payloadBytes;
        return _pending.GetSpan(frameBytes)[..frameBytes];
    }

    private void DeleteSegmentsBefore(long firstRecordNumber, bool shrinkFirst = false)
    {
        foreach (var segment in SegmentFile.List(_device, _directory))
        {
            if (segment.FirstRecordNumber >= firstRecordNumber)
            {
                continue;
            }
            if (shrinkFirst)
            {
                // A step at a time, each step synced, before the unlink: freeing a whole
                // preallocated segment in one journal transaction holds up the live segment's fsyncs.
                for (var length = _device.Length(segment.Path) - StaleTruncationStepBytes; length > 0; length -= StaleTruncationStepBytes)
                {
                    _device.Truncate(segment.Path, length);
                }
            }
            _device.Delete(segment.Path);
        }
        _device.SyncDirectory(_directory);
    }

    private void Seal(Span<byte> frame, RecordType type)
    {
        RecordFrame.Seal(frame, type);
        _pending.Advance(frame.Length);
        _appendedPosition++;
    }

    private void WritePending()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }
        _segment.Append(_pending.WrittenSpan);
        _segmentBytes += _pending.WrittenCount;
        _pending.ResetWrittenCount();
    }

    private void RollSegment()
    {
        // The old segment is complete on disk before the next exists, so recovery may treat any
        // damage before the last segment as damage in the middle of the log.
        SyncSegment();
        _segment.Dispose();
        OpenNextSegment();
    }

    /// <summary>
    /// Leaves a segment that is not zero-filled (the first one, or one reopened after a restart) as
    /// soon as a spare is ready, rather than syncing every append in it the slower way until it is full.
    /// </summary>
    private void MoveToSpareOnceReady()
    {
        if (_segmentZeroFilled || _spare is not { IsReady: true })
        {
            return;
        }
        WritePending();
        if (_segmentBytes > 0)
        {
            RollSegment();
            return;
        }
        // Nothing in it yet: named after the next record, it is replaced by the spare under its name.
        _segment.Dispose();
        OpenNextSegment();
    }

    /// <summary>Opens the segment starting at the next record: the spare when it is ready, else a new file.</summary>
    private void OpenNextSegment()
    {
        var path = Path.Combine(_directory, SegmentFile.NameFor(_appendedPosition));
        _segmentBytes = 0;
        var spare = _spare?.TryTake(path);
        _segmentZeroFilled = spare is not null;
        _segment = spare ?? CreateReserved(_device, path, _options);
        _device.SyncDirectory(_directory);
        _spare?.StartPreparing();
    }

    private void SyncSegment()
    {
        var position = _appendedPosition;
        BeforeSync?.Invoke();
        _segment.Sync();
        Interlocked.Increment(ref _syncCount);
        Volatile.Write(ref _durablePosition, position);
    }

    private static IAppendFile CreateReserved(IStorageDevice device, string path, WriteAheadLogOptions options) =>
        Reserve(device.Create(path), options);

    private static IAppendFile Reserve(IAppendFile segment, WriteAheadLogOptions options)
    {
        if (options.PreallocateSegments)
        {
            segment.Preallocate(options.SegmentSizeBytes);
        }
        return segment;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new IOException("an earlier write or fsync of the log failed: reopen it after recovery");
        }
    }
}
