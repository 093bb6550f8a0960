using System.Buffers;

namespace Paxuby.Server.Engine;

/// <summary>
/// Where a node sends what its clients ask: writes go through the replicated log, reads are
/// served once they may be (lease or log). Replies are written into the caller's buffer before
/// the returned task completes; calls from one session are made one at a time.
/// </summary>
public interface ICommandEngine
{
    /// <summary>
    /// Submits an encoded state-machine command to be applied in log order and returns its reply.
    /// The command bytes are copied before this returns, so the caller may reuse its buffer and
    /// submit the next write at once. A client numbers its writes by <paramref name="sequence"/>;
    /// a command retried after a leader change carries the same pair and is applied once.
    /// </summary>
    ValueTask<byte[]> SubmitWriteAsync(long clientId, long sequence, ReadOnlyMemory<byte> command, CancellationToken cancellationToken);

    /// <summary>Serves an encoded read-only command linearizably and writes its reply.</summary>
    ValueTask ReadAsync(ReadOnlyMemory<byte> command, IBufferWriter<byte> reply, CancellationToken cancellationToken);

    /// <summary>The WATCH token of a key as of the state this node has applied.</summary>
    long GetWatchVersion(int db, ReadOnlySpan<byte> key);

    /// <summary>Numbers for INFO: keys per database, memory, applied position.</summary>
    EngineStats GetStats();
}

/// <summary>A snapshot of what INFO reports about the data.</summary>
public sealed record EngineStats(
    IReadOnlyList<(int Db, long Keys, long Expires)> Databases,
    long UsedMemoryBytes,
    long AppliedCommands,
    string Role)
{
    /// <summary>Consensus state for INFO, when the node runs on the log.</summary>
    public ConsensusStats? Consensus { get; init; }
}

/// <summary>What INFO's consensus section reports.</summary>
public sealed record ConsensusStats(
    string Role,
    int LeaderId,
    string Ballot,
    long CommitSlot,
    long AppliedSlot,
    int PendingProposals,
    bool LeaseHeld,
    long ElectionsSeen)
{
    public int ReplicaId { get; init; }

    public long Fsyncs { get; init; }

    public long RecordsAppended { get; init; }

    public long SlotsApplied { get; init; }

    public long CommandsApplied { get; init; }

    public long SnapshotSlot { get; init; }

    public long SnapshotsTaken { get; init; }

    public long SnapshotsInstalled { get; init; }

    public int LogSlots { get; init; }

    /// <summary>
    /// Log bytes written since the last snapshot's compaction: the next snapshot comes at
    /// snapshot_log_bytes, staggered up to a third higher from replica to replica, and twice that on the leader.
    /// </summary>
    public long LogBytesSinceSnapshot { get; init; }

    /// <summary>Reads this replica served at once on its leader lease.</summary>
    public long LeaseReads { get; init; }

    /// <summary>Reads that went through the replica's loop: a follower's, a new leader's, or a lease in doubt.</summary>
    public long LoopReads { get; init; }

    /// <summary>True while the replica rejoins as a non-voting learner after its log was damaged.</summary>
    public bool Rebuilding { get; init; }
}
