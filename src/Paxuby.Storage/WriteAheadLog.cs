using System.Buffers;
using Paxuby.Consensus;

namespace Paxuby.Storage;

/// <summary>
/// The replica's durable state as an append-only log: a directory of segment files holding
/// Entry, Promise and Commit records (see <see cref="RecordFrame"/> and <see cref="LogRecordCodec"/>).
/// Replaying it in order with <see cref="DurableState.Apply"/> rebuilds the state.
/// <para>
/// Positions are record numbers: <see cref="Append"/> returns the number after the last record it
/// wrote, and a position is durable once <see cref="DurablePosition"/> reaches it. Not thread-safe:
/// one writer at a time (<see cref="GroupCommitLog"/> is that writer for concurrent callers).
/// </para>
/// </summary>
public sealed class WriteAheadLog : IDisposable
{
    private readonly string _directory;
    private readonly long _segmentSizeBytes;
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private FileStream _segment;
    private long _segmentBytes;
    private long _appendedPosition;
    private long _durablePosition;
    private long _syncCount;
    private bool _failed;
    private bool _disposed;

    private WriteAheadLog(string directory, long segmentSizeBytes, FileStream segment, long segmentBytes, long nextRecordNumber)
    {
        _directory = directory;
        _segmentSizeBytes = segmentSizeBytes;
        _segment = segment;
        _segmentBytes = segmentBytes;
        _appendedPosition = nextRecordNumber;
        _durablePosition = nextRecordNumber;
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
    /// Opens the log in <paramref name="directory"/> for appending, creating it when missing. The
    /// last segment must end with a whole, valid record: run <see cref="Recover"/> first, which
    /// cuts off a torn tail.
    /// </summary>
    public static WriteAheadLog Open(string directory, WriteAheadLogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new WriteAheadLogOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentSizeBytes, RecordFrame.HeaderBytes);
        Directory.CreateDirectory(directory);
        var segments = SegmentFile.List(directory);
        if (segments.Count == 0)
        {
            return new WriteAheadLog(directory, options.SegmentSizeBytes, CreateSegment(directory, 0), 0, 0);
        }
        var last = segments[^1];
        var scan = SegmentScan.Replay(File.ReadAllBytes(last.Path), state: null);
        if (!scan.IsClean)
        {
            throw new InvalidDataException(
                $"segment {last.Name} has a bad record at offset {scan.ValidBytes} ({scan.Problem}): recover the log before appending");
        }
        var stream = OpenSegment(last.Path, FileMode.Open);
        stream.Seek(0, SeekOrigin.End);
        return new WriteAheadLog(directory, options.SegmentSizeBytes, stream, scan.ValidBytes, last.FirstRecordNumber + scan.RecordCount);
    }

    /// <summary>
    /// Rebuilds the durable state from the segments in <paramref name="directory"/>, stopping at the
    /// first torn or corrupt record. When nothing valid follows it, it is a write cut short by a
    /// crash: the last segment is truncated there. When valid records follow, the log is damaged in
    /// the middle: the report says so and nothing after the bad record is applied or removed.
    /// </summary>
    public static (DurableState State, RecoveryReport Report) Recover(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var state = new DurableState();
        var segments = SegmentFile.List(directory);
        if (segments.Count == 0)
        {
            return (state, new RecoveryReport());
        }
        long records = 0;
        var expectedFirst = segments[0].FirstRecordNumber;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var report = new RecoveryReport
            {
                SegmentCount = segments.Count,
                RecordCount = records,
                NextRecordNumber = expectedFirst,
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
            var data = File.ReadAllBytes(segment.Path);
            var scan = SegmentScan.Replay(data, state);
            records += scan.RecordCount;
            expectedFirst += scan.RecordCount;
            report = report with { RecordCount = records, NextRecordNumber = expectedFirst };
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
            Truncate(segment.Path, scan.ValidBytes);
            return (state, report with { TailTruncated = true, TruncatedBytes = data.Length - scan.ValidBytes });
        }
        return (state, new RecoveryReport { SegmentCount = segments.Count, RecordCount = records, NextRecordNumber = expectedFirst });
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
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
        if (used > 0 && used + frameBytes > _segmentSizeBytes)
        {
            WritePending();
            RollSegment();
        }
        return _pending.GetSpan(frameBytes)[..frameBytes];
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
        _segment.Write(_pending.WrittenSpan);
        _segmentBytes += _pending.WrittenCount;
        _pending.ResetWrittenCount();
    }

    private void RollSegment()
    {
        // The old segment is complete on disk before the next exists, so recovery may treat any
        // damage before the last segment as damage in the middle of the log.
        SyncSegment();
        _segment.Dispose();
        _segment = CreateSegment(_directory, _appendedPosition);
        _segmentBytes = 0;
    }

    private void SyncSegment()
    {
        var position = _appendedPosition;
        BeforeSync?.Invoke();
        DurableSync.File(_segment);
        Interlocked.Increment(ref _syncCount);
        Volatile.Write(ref _durablePosition, position);
    }

    private static FileStream CreateSegment(string directory, long firstRecordNumber)
    {
        var stream = OpenSegment(Path.Combine(directory, SegmentFile.NameFor(firstRecordNumber)), FileMode.CreateNew);
        DurableSync.Directory(directory);
        return stream;
    }

    // No FileStream buffer: records are batched in _pending and written with one call per Append.
    private static FileStream OpenSegment(string path, FileMode mode) =>
        new(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0);

    private static void Truncate(string path, long length)
    {
        using var stream = OpenSegment(path, FileMode.Open);
        stream.SetLength(length);
        DurableSync.File(stream);
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
