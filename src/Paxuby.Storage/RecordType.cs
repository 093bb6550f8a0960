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
}
