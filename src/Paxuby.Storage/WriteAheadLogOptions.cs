namespace Paxuby.Storage;

public sealed record WriteAheadLogOptions
{
    public const long DefaultSegmentSizeBytes = 64L * 1024 * 1024;

    /// <summary>
    /// A segment is closed once the next record would take it past this size; a single record
    /// larger than it gets a segment of its own.
    /// </summary>
    public long SegmentSizeBytes { get; init; } = DefaultSegmentSizeBytes;

    /// <summary>
    /// Reserves each segment's full size on disk when it is created (zeros, which recovery reads as
    /// the segment's unused end), so that an fsync after an append does not also write a new file size.
    /// </summary>
    public bool PreallocateSegments { get; init; } = true;

    /// <summary>
    /// Writes the next segment full of zeros, and syncs it, on a background thread before the log
    /// needs it (see <see cref="SpareSegment"/>): an fsync of appends over written zeros flushes
    /// their data alone, where over reserved space it also writes the inode. A log opened with a
    /// segment that is not zero-filled moves to the spare as soon as it is ready. Off where the log
    /// must stay single-threaded (the simulator); until a spare is ready, segments are reserved as
    /// <see cref="PreallocateSegments"/> says.
    /// </summary>
    public bool PrepareSegmentsInBackground { get; init; }

    /// <summary>
    /// After a compaction, deletes the older segments on a background thread instead of the
    /// caller's: unlinking a large file can take tens of milliseconds, during which a replica's
    /// loop would stand still. Safe at any moment, since recovery removes segments older than a
    /// complete compacted one; off where the log must stay single-threaded (the simulator).
    /// </summary>
    public bool DeleteStaleSegmentsInBackground { get; init; }
}
