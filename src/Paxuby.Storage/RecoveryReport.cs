namespace Paxuby.Storage;

/// <summary>What <see cref="WriteAheadLog.Recover"/> found and did.</summary>
public sealed record RecoveryReport
{
    public int SegmentCount { get; init; }

    /// <summary>Valid records replayed into the recovered state.</summary>
    public long RecordCount { get; init; }

    /// <summary>The record number the next append gets.</summary>
    public long NextRecordNumber { get; init; }

    /// <summary>The floor of the recovered log (see <see cref="Paxuby.Consensus.DurableState.SnapshotSlot"/>); 0 when never compacted.</summary>
    public long SnapshotSlot { get; init; }

    /// <summary>Segments older than a complete compacted segment, left by a compaction that stopped before deleting them, now deleted.</summary>
    public int StaleSegmentsRemoved { get; init; }

    /// <summary>
    /// A compaction stopped before its new segment was complete: that segment (records duplicating
    /// the older segments, which are all still there) was deleted.
    /// </summary>
    public bool IncompleteCompactionRemoved { get; init; }

    /// <summary>A torn or corrupt record ended the last segment, and the file was cut there.</summary>
    public bool TailTruncated { get; init; }

    /// <summary>The bytes cut off that held anything: the zeros of a preallocated segment after them are not counted.</summary>
    public long TruncatedBytes { get; init; }

    /// <summary>
    /// Records after a corrupt one are valid: the log lost something in its middle (a bad sector, a
    /// missing segment), so the state may lack promises or votes it acknowledged. Nothing after the
    /// corruption was applied and nothing was truncated; the replica should not vote until it has
    /// caught up, and the log must not be appended to until it is rewritten.
    /// </summary>
    public bool MiddleCorruption { get; init; }

    /// <summary>The segment file (name only) of the truncation or the corruption.</summary>
    public string? Segment { get; init; }

    /// <summary>Byte offset in <see cref="Segment"/> of the first bad record.</summary>
    public long Offset { get; init; }

    /// <summary>Why the record at <see cref="Offset"/> was rejected.</summary>
    public string? Problem { get; init; }

    public bool IsClean => !TailTruncated && !MiddleCorruption;

    public override string ToString()
    {
        var summary = $"{RecordCount} records in {SegmentCount} segments";
        if (SnapshotSlot > 0)
        {
            summary += $" above snapshot slot {SnapshotSlot}";
        }
        if (StaleSegmentsRemoved > 0)
        {
            summary += $"; removed {StaleSegmentsRemoved} segments older than the compacted one";
        }
        if (IncompleteCompactionRemoved)
        {
            summary += "; removed the incomplete segment of an interrupted compaction";
        }
        if (MiddleCorruption)
        {
            return $"{summary}; corruption in the middle of the log at offset {Offset} in segment {Segment} ({Problem}), later records not applied";
        }
        if (TailTruncated)
        {
            return $"{summary}; truncated {TruncatedBytes} bytes at offset {Offset} in segment {Segment} ({Problem})";
        }
        return summary;
    }
}
