namespace Paxuby.Storage;

public sealed record WriteAheadLogOptions
{
    public const long DefaultSegmentSizeBytes = 64L * 1024 * 1024;

    /// <summary>
    /// A segment is closed once the next record would take it past this size; a single record
    /// larger than it gets a segment of its own.
    /// </summary>
    public long SegmentSizeBytes { get; init; } = DefaultSegmentSizeBytes;
}
