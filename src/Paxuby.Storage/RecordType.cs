namespace Paxuby.Storage;

/// <summary>
/// The kind of a write-ahead log record. The numbers are written to disk: never renumber or
/// reuse one, only append new ones.
/// </summary>
public enum RecordType : byte
{
    /// <summary>An accepted entry: slot, ballot, batch.</summary>
    Entry = 1,

    /// <summary>The promised ballot.</summary>
    Promise = 2,

    /// <summary>The commit index.</summary>
    Commit = 3,

    /// <summary>
    /// Starts a segment written by <see cref="WriteAheadLog.Compact"/>: the snapshot slot (the floor
    /// of the log) and how many records follow it in the segment to hold the whole durable state.
    /// </summary>
    SnapshotBase = 4,
}
