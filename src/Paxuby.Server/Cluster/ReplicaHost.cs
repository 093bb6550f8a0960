using Paxuby.Cache;
using Paxuby.Consensus;
using Paxuby.Storage;

namespace Paxuby.Server.Cluster;

/// <summary>
/// One replica as the node loop drives it: the consensus core, where it makes its promises and
/// accepted values durable (the write-ahead log), its snapshots, and the cache it applies decided
/// commands to (through the exactly-once table). On start it restores the newest valid snapshot,
/// recovers the log above it and replays the decided slots. Without a directory it keeps both on
/// an in-memory device, so compaction and snapshot transfer work the same way in tests.
/// </summary>
internal sealed class ReplicaHost : IDisposable
{
    private readonly WriteAheadLog _log;
    private readonly FsyncPolicy _fsync;
    private long _lastSyncMs;
    private bool _promisesUnsynced;

    /// <param name="nodeDirectory">Where the replica keeps <c>wal/</c> and <c>snapshots/</c>; null keeps them in memory.</param>
    public ReplicaHost(ReplicaOptions options, int seed, string? nodeDirectory, FsyncPolicy fsync, long snapshotLogBytes = long.MaxValue)
    {
        Options = options;
        _fsync = fsync;
        // Staggered per replica (×1, ×1.17, ×1.33 for three): replicas fed the same log would
        // otherwise all pause to serialise their caches at the same moment.
        SnapshotLogBytes = snapshotLogBytes == long.MaxValue ? long.MaxValue
            : snapshotLogBytes + snapshotLogBytes * options.ReplicaIds.ToList().IndexOf(options.ReplicaId) / (2 * options.ReplicaIds.Count);
        InMemory = nodeDirectory is null;
        IStorageDevice device = InMemory ? new SimulatedDevice(new Random(seed)) { TornWriteProbability = 0 } : FileSystemDevice.Instance;
        nodeDirectory ??= $"/memory/node-{options.ReplicaId}";
        string logDirectory = Path.Combine(nodeDirectory, "wal");
        Applier = new ExactlyOnceApplier(Cache);
        Snapshots = new SnapshotStore(Path.Combine(nodeDirectory, "snapshots"), device);
        LatestSnapshot = Snapshots.FindNewestValid(out IReadOnlyList<string> rejected);
        RejectedSnapshots = rejected;
        var restore = System.Diagnostics.Stopwatch.StartNew();
        if (LatestSnapshot is not null)
        {
            // Buffered: restoring reads a few bytes at a time, one system call each without it.
            using Stream stream = new BufferedStream(Snapshots.OpenRead(LatestSnapshot), 1 << 20);
            Applier.Restore(stream);
        }
        SnapshotRestoreTime = restore.Elapsed;

        (DurableState durable, RecoveryReport report) = WriteAheadLog.Recover(logDirectory, device);
        _device = device;
        _rebuildMarker = Path.Combine(nodeDirectory, "REBUILDING");
        string? damage = report.MiddleCorruption
            ? $"its log is damaged before its end ({report})"
            : durable.SnapshotSlot > Applier.AppliedSlot
                ? $"its log starts after slot {durable.SnapshotSlot} but its newest valid snapshot covers only slot {Applier.AppliedSlot}" +
                  (rejected.Count > 0 ? $" (rejected: {string.Join("; ", rejected)})" : "")
                : null;
        if (damage is not null || device.Exists(_rebuildMarker))
        {
            // It can no longer vouch for what it promised or accepted: set the log aside and
            // rejoin as a learner that votes for nothing until it has caught up (Paxos Made Live).
            // The marker keeps it so across a restart until the rebuild is over.
            RebuildReason = damage ?? "a rebuild was under way when it stopped";
            if (!device.Exists(_rebuildMarker))
            {
                device.Create(_rebuildMarker).Dispose();
                device.SyncDirectory(nodeDirectory);
            }
            SetLogAside(device, logDirectory, Path.Combine(nodeDirectory, "wal.damaged"));
            durable = new DurableState();
            report = new RecoveryReport();
        }
        // The snapshot holds every slot up to its own: the log below it is history.
        durable.CompactThrough(Applier.AppliedSlot);
        Recovery = report;
        _log = WriteAheadLog.Open(logDirectory, new WriteAheadLogOptions { DeleteStaleSegmentsInBackground = !InMemory, PrepareSegmentsInBackground = !InMemory }, device);
        Durable = durable;
        Core = new Replica(options, durable.Clone(), new Random(seed), Applier.AppliedSlot, rebuilding: RebuildReason is not null);
    }

    private readonly IStorageDevice _device;
    private readonly string _rebuildMarker;

    /// <summary>Why this replica rejoined as a non-voting learner; null when its log was sound.</summary>
    public string? RebuildReason { get; private set; }

    /// <summary>Called after each Advance: once the core has caught up, the rebuild is over and the marker goes.</summary>
    public bool FinishRebuildIfDone()
    {
        if (RebuildReason is null || Core.IsRebuilding) return false;
        // The raised promise the core persisted on leaving the rebuild must be on disk first.
        _log.Sync();
        _device.Delete(_rebuildMarker);
        _device.SyncDirectory(Path.GetDirectoryName(_rebuildMarker)!);
        RebuildReason = null;
        return true;
    }

    private static void SetLogAside(IStorageDevice device, string logDirectory, string asideDirectory)
    {
        device.CreateDirectory(asideDirectory);
        foreach (string name in device.List(logDirectory, ".wal"))
        {
            device.Rename(Path.Combine(logDirectory, name), Path.Combine(asideDirectory, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{name}"));
        }
        device.SyncDirectory(asideDirectory);
        device.SyncDirectory(logDirectory);
    }

    public ReplicaOptions Options { get; }

    public int Id => Options.ReplicaId;

    public Replica Core { get; }

    /// <summary>What this replica has made durable above its snapshot (the log's content).</summary>
    public DurableState Durable { get; }

    /// <summary>What recovery found in the log at start.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>How long restoring the snapshot took at start.</summary>
    public TimeSpan SnapshotRestoreTime { get; }

    /// <summary>Snapshot files that failed their checks at start, with the reason.</summary>
    public IReadOnlyList<string> RejectedSnapshots { get; }

    public CacheStateMachine Cache { get; } = new();

    public ExactlyOnceApplier Applier { get; }

    public SnapshotStore Snapshots { get; }

    /// <summary>The newest durable snapshot, what a lagging replica is sent; null before the first.</summary>
    public SnapshotInfo? LatestSnapshot { get; set; }

    /// <summary>True when the log and snapshots live in memory (no data directory).</summary>
    public bool InMemory { get; }

    /// <summary>Log bytes written since the last compaction after which the next snapshot is due.</summary>
    public long SnapshotLogBytes { get; }

    public long LogBytesSinceCompaction { get; private set; }

    /// <summary>
    /// The leader snapshots after twice the log a follower does. Capturing the cache and compacting
    /// the log hold up the replica's loop (tens of milliseconds at 100,000 keys): on the leader
    /// that holds up every write, while a follower's pause is covered by the other followers, since
    /// a majority needs only some of them. In 6 rounds of 1.5 M pipelined SETs (redis-benchmark
    /// -c 50 -P 16) against a 3-replica server: 115 k against 110 k ops/s and p99 15.7 against
    /// 17.1 ms (medians; p99 lower in 5 rounds of 6), for up to 64 MiB more log in the leader's memory.
    /// </summary>
    public const int LeaderSnapshotLogFactor = 2;

    public bool SnapshotDue =>
        LogBytesSinceCompaction >= SnapshotLogBytes * (Core.Role == Role.Leader ? LeaderSnapshotLogFactor : 1)
        && Applier.AppliedSlot > (LatestSnapshot?.Slot ?? 0);

    /// <summary>Log records written, and the fsyncs that made them durable (group commit: many records per fsync).</summary>
    public long RecordsAppended { get; private set; }

    public long Fsyncs { get; private set; }

    public long SnapshotsTaken { get; set; }

    public long SnapshotsInstalled { get; set; }

    /// <summary>Writes a Ready's records to the log; <see cref="SyncIfDue"/> makes them durable.</summary>
    public void Append(PersistRecords records)
    {
        if (records.IsEmpty) return;
        Durable.Apply(records);
        _log.Append(records);
        // Promises and accepted values must be on disk before the messages that reveal them; a
        // commit index need not (a replica that loses it learns it again from the leader), so a
        // Ready that only moves the commit index costs no fsync of its own: it rides the next one.
        _promisesUnsynced |= records.Entries.Count > 0 || records.PromisedBallot is not null;
        RecordsAppended += records.Entries.Count + (records.PromisedBallot is null ? 0 : 1) + (records.CommitIndex is null ? 0 : 1);
        foreach (LogEntry entry in records.Entries) LogBytesSinceCompaction += LogRecordCodec.EntryBytes(entry);
    }

    /// <summary>
    /// Makes what was appended durable when the fsync policy asks for it now: under <c>always</c>
    /// whenever a promise or an accepted value is pending (a commit index alone waits up to a
    /// second for company), once a second under <c>everysec</c>, never under <c>no</c>.
    /// </summary>
    public void SyncIfDue(long nowMs)
    {
        if (!_log.HasUnsyncedRecords) return;
        bool due = _fsync switch
        {
            FsyncPolicy.Always => _promisesUnsynced || nowMs - _lastSyncMs >= 1000,
            FsyncPolicy.EverySec => nowMs - _lastSyncMs >= 1000,
            _ => false,
        };
        if (!due) return;
        _log.Sync();
        _lastSyncMs = nowMs;
        _promisesUnsynced = false;
        Fsyncs++;
    }

    /// <summary>
    /// A durable snapshot covers every slot up to <paramref name="floor"/> (or beyond): the log
    /// keeps only what is above it, rewritten into a fresh segment, and the older segments go.
    /// </summary>
    public void CompactLog(long floor)
    {
        Durable.CompactThrough(floor);
        _log.Compact(Durable);
        _promisesUnsynced = false;
        LogBytesSinceCompaction = 0;
    }

    public void Dispose() => _log.Dispose();
}
