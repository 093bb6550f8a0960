namespace Paxuby.Consensus;

/// <summary>
/// Everything that must survive a crash, and all a replica is rebuilt from on restart: the
/// promised ballot, the accepted entry of each slot with its ballot, and the commit index.
/// Storage applies <see cref="PersistRecords"/> to it in order; recovery hands it back to
/// <see cref="Replica"/>'s constructor. Nothing else survives a crash.
/// </summary>
public sealed class DurableState
{
    public Ballot PromisedBallot { get; set; }

    /// <summary>Every slot up to it is decided with the value in <see cref="Entries"/>.</summary>
    public long CommitIndex { get; set; }

    /// <summary>Accepted entries by slot, in no particular order; a later record for a slot replaces the earlier one.</summary>
    public Dictionary<long, LogEntry> Entries { get; } = new();

    /// <summary>
    /// Slots up to it live in the state machine's snapshot and are gone from <see cref="Entries"/>:
    /// the floor below which a replica holds no log. 0 when there is no snapshot.
    /// </summary>
    public long SnapshotSlot { get; private set; }

    /// <summary>
    /// Records that a durable snapshot covers every slot up to <paramref name="slot"/>: entries up to
    /// it are dropped and the commit index is at least it. A lower slot than the current one is ignored.
    /// </summary>
    public void CompactThrough(long slot)
    {
        if (slot <= SnapshotSlot)
        {
            return;
        }
        SnapshotSlot = slot;
        CommitIndex = Math.Max(CommitIndex, slot);
        // A snapshot's worth of slots is tens of thousands and few stay above the floor: one pass
        // over the table finds them, and the table keeps its capacity for the next ones.
        var above = new List<KeyValuePair<long, LogEntry>>();
        foreach (var pair in Entries)
        {
            if (pair.Key > slot)
            {
                above.Add(pair);
            }
        }
        Entries.Clear();
        foreach (var (kept, entry) in above)
        {
            Entries.Add(kept, entry);
        }
    }

    /// <summary>Applies one Ready's records in the order a write-ahead log replays them.</summary>
    public void Apply(PersistRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var entry in records.Entries)
        {
            if (entry.Slot > SnapshotSlot)
            {
                Entries[entry.Slot] = entry;
            }
        }
        // The replica asserts that these never go down; storage records what it is given.
        if (records.PromisedBallot is { } promised)
        {
            PromisedBallot = promised;
        }
        if (records.CommitIndex is { } commitIndex)
        {
            CommitIndex = Math.Max(commitIndex, SnapshotSlot);
        }
    }

    public DurableState Clone()
    {
        var copy = new DurableState { PromisedBallot = PromisedBallot, CommitIndex = CommitIndex, SnapshotSlot = SnapshotSlot };
        foreach (var (slot, entry) in Entries)
        {
            copy.Entries[slot] = entry;
        }
        return copy;
    }
}

/// <summary>
/// The durable changes of one <see cref="Ready"/>. Write them in this order: entries, then the
/// promised ballot, then the commit index (a commit index never survives without the entries it covers).
/// </summary>
public sealed class PersistRecords
{
    public static readonly PersistRecords Empty = new(Array.Empty<LogEntry>(), null, null);

    public PersistRecords(IReadOnlyList<LogEntry> entries, Ballot? promisedBallot, long? commitIndex)
    {
        Entries = entries;
        PromisedBallot = promisedBallot;
        CommitIndex = commitIndex;
    }

    /// <summary>Accepted entries (a slot may appear twice: the later one wins).</summary>
    public IReadOnlyList<LogEntry> Entries { get; }

    /// <summary>The new promised ballot, when it changed.</summary>
    public Ballot? PromisedBallot { get; }

    /// <summary>The new commit index, when it changed.</summary>
    public long? CommitIndex { get; }

    public bool IsEmpty => Entries.Count == 0 && PromisedBallot is null && CommitIndex is null;
}
