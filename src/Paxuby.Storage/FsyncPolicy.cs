namespace Paxuby.Storage;

/// <summary>
/// When appended records reach the disk, named as Redis names its AOF policy (appendfsync).
/// Losing acknowledged records is not just lost writes in Paxos: a replica that forgets a promise
/// or an accepted value it voted with can let two different values be chosen for one slot.
/// Only <see cref="Always"/> keeps that guarantee across a power failure.
/// </summary>
public enum FsyncPolicy
{
    /// <summary>
    /// Fsync before acknowledging (group commit shares one fsync among concurrent appends).
    /// Power failure loses nothing acknowledged: only appends still waiting for their fsync.
    /// </summary>
    Always = 0,

    /// <summary>
    /// Acknowledge once written to the OS; fsync at most a second later. A process crash loses
    /// nothing (the OS has the data); a power failure loses about the last second of acknowledged
    /// records, so a replica may break promises it made in that second.
    /// </summary>
    EverySec = 1,

    /// <summary>
    /// Acknowledge once written to the OS and leave flushing to it (segment rolls and closing still
    /// fsync). A process crash loses nothing; a power failure loses whatever the OS had not yet
    /// written back, typically up to 30 seconds on Linux. For tests and throwaway caches only.
    /// </summary>
    No = 2,
}
