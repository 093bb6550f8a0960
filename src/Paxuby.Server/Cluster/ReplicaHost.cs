using Paxuby.Cache;
using Paxuby.Consensus;
using Paxuby.Storage;

namespace Paxuby.Server.Cluster;

/// <summary>
/// One replica as the node loop drives it: the consensus core, where it makes its promises and
/// accepted values durable, and the cache it applies decided commands to (through the
/// exactly-once table). A replica with a log directory starts from what the log recovers and
/// replays the decided slots into a fresh cache.
/// </summary>
internal sealed class ReplicaHost : IDisposable
{
    private readonly WriteAheadLog? _log;
    private readonly FsyncPolicy _fsync;
    private long _lastSyncMs;
    private bool _promisesUnsynced;

    public ReplicaHost(ReplicaOptions options, int seed, string? logDirectory, FsyncPolicy fsync)
    {
        Options = options;
        _fsync = fsync;
        DurableState durable = new();
        if (logDirectory is not null)
        {
            (durable, RecoveryReport report) = WriteAheadLog.Recover(logDirectory);
            if (report.MiddleCorruption)
            {
                throw new InvalidDataException(
                    $"replica {options.ReplicaId}: {report}; its log is damaged before its end, so it cannot vouch for what it promised. " +
                    $"Move {logDirectory} aside and let the replica rejoin empty from the others.");
            }
            Recovery = report;
            _log = WriteAheadLog.Open(logDirectory);
        }
        Durable = durable;
        Core = new Replica(options, durable.Clone(), new Random(seed));
        Applier = new ExactlyOnceApplier(Cache);
    }

    public ReplicaOptions Options { get; }

    public int Id => Options.ReplicaId;

    public Replica Core { get; }

    /// <summary>What this replica has made durable (the log's content; all there is without a log).</summary>
    public DurableState Durable { get; }

    /// <summary>What recovery found in the log at start; null without a log.</summary>
    public RecoveryReport? Recovery { get; }

    public CacheStateMachine Cache { get; } = new();

    public ExactlyOnceApplier Applier { get; }

    /// <summary>Log records written, and the fsyncs that made them durable (group commit: many records per fsync).</summary>
    public long RecordsAppended { get; private set; }

    public long Fsyncs { get; private set; }

    /// <summary>Writes a Ready's records to the log; <see cref="SyncIfDue"/> makes them durable.</summary>
    public void Append(PersistRecords records)
    {
        if (records.IsEmpty) return;
        Durable.Apply(records);
        if (_log is null) return;
        _log.Append(records);
        // Promises and accepted values must be on disk before the messages that reveal them; a
        // commit index need not (a replica that loses it learns it again from the leader), so a
        // Ready that only moves the commit index costs no fsync of its own: it rides the next one.
        _promisesUnsynced |= records.Entries.Count > 0 || records.PromisedBallot is not null;
        RecordsAppended += records.Entries.Count + (records.PromisedBallot is null ? 0 : 1) + (records.CommitIndex is null ? 0 : 1);
    }

    /// <summary>
    /// Makes what was appended durable when the fsync policy asks for it now: under <c>always</c>
    /// whenever a promise or an accepted value is pending (a commit index alone waits up to a
    /// second for company), once a second under <c>everysec</c>, never under <c>no</c>.
    /// </summary>
    public void SyncIfDue(long nowMs)
    {
        if (_log is null || !_log.HasUnsyncedRecords) return;
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

    public void Dispose() => _log?.Dispose();
}
