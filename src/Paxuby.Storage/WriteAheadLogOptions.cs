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
    /// the segment's unused end), so that an fsync after an append does not also journal a new file size.
    /// </summary>
    public bool PreallocateSegments { get; init; } = true;

    /// <summary>
    /// After a compaction, deletes the older segments on a background thread instead of the
    /// caller's: unlinking a large file can take tens of milliseconds, during which a replica's
    /// loop would stand still. Safe at any moment, since recovery removes segments older than a
    /// complete compacted one; off where the log must stay single-threaded (the simulator).
    /// </summary>
    public bool DeleteStaleSegmentsInBackground { get; init; }
}
