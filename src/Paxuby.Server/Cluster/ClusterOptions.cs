using Paxuby.Consensus;
using Paxuby.Storage;

namespace Paxuby.Server.Cluster;

/// <summary>How the node loop paces the consensus core.</summary>
public sealed class ClusterOptions
{
    /// <summary>Wall-clock length of one consensus tick.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A command not answered within this long fails with an error that says whether it may have been applied.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A write forwarded to the leader (or a read) not answered after this many ticks is sent
    /// again (same id: applied once): for frames lost with a link. A leader change re-sends at once.
    /// </summary>
    public int RetryAfterTicks { get; init; } = 200;

    /// <summary>How often the leader proposes the expiry sweep.</summary>
    public TimeSpan ExpireSweepInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Commands and reads waiting for the loop; callers wait when it is full.</summary>
    public int WorkQueueCapacity { get; init; } = 65_536;

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Where replica N keeps its write-ahead log (<c>{DataDirectory}/node-N/wal</c>); null keeps it in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// A follower snapshots its cache and compacts its log once this many log bytes were written
    /// since the last time; the leader after <see cref="ReplicaHost.LeaderSnapshotLogFactor"/> times as many.
    /// </summary>
    public long SnapshotLogBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Decided slots kept in memory below a snapshot, so a replica a little behind catches up from the log, not a snapshot (the log on disk keeps none).</summary>
    public int SnapshotRetainSlots { get; init; } = 1024;

    /// <summary>When the write-ahead log reaches the disk (Redis's appendfsync names).</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Always;

    /// <summary>
    /// The core's timing in ticks of <see cref="TickInterval"/>: heartbeats every 50 ms, leases of
    /// 400 ms, elections after 0.5–1 s of silence, a leader steps down after 1.5 s without a majority. Loose enough that a replica whose disk or CPU
    /// stalls for a few hundred milliseconds on a shared machine is not voted out; tight enough that
    /// a dead leader is replaced within about a second.
    /// </summary>
    internal ReplicaOptions ReplicaOptionsFor(int id, IReadOnlyList<int> ids) => new()
    {
        ReplicaId = id,
        ReplicaIds = ids,
        HeartbeatIntervalTicks = 5,
        LeaseTicks = 40,
        LeaseDriftTicks = 5,
        ElectionTimeoutTicks = 50,
        LeaderStepDownTicks = 150,
        ResendTicks = 10,
    };
}
