using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

/// <summary>
/// The checker of the crash tests, kept apart from the code it checks: it follows what a run
/// appended, synced and compacted, and judges a recovered state against it. Synced means a
/// <see cref="WriteAheadLog.Sync"/> or <see cref="WriteAheadLog.Compact"/> returned; what was only
/// appended may or may not survive, but nothing may come back that was never appended.
/// </summary>
internal sealed class DurabilityModel
{
    /// <summary>Every version of each slot's entry appended since the slot's version was last known durable, encoded; the first is that version.</summary>
    private readonly Dictionary<long, List<byte[]>> _versions = [];
    private readonly Dictionary<long, int> _syncedVersion = [];
    private DurableState _synced = new();
    private Ballot _appendedPromise;
    private long _appendedCommit;
    private long _attemptedFloor;

    /// <summary>The state with every appended record applied: what the log holds before any crash.</summary>
    public DurableState Current { get; private set; } = new();

    /// <summary>Something was appended or a compaction started since the last sync.</summary>
    public bool HasUnsynced { get; private set; }

    public long SyncedFloor => _synced.SnapshotSlot;

    public void Appended(PersistRecords records)
    {
        foreach (var entry in records.Entries)
        {
            if (!_versions.TryGetValue(entry.Slot, out var versions))
            {
                _versions[entry.Slot] = versions = [];
            }
            versions.Add(Encode(entry));
        }
        _appendedPromise = records.PromisedBallot is { } p && p > _appendedPromise ? p : _appendedPromise;
        _appendedCommit = Math.Max(_appendedCommit, records.CommitIndex ?? 0);
        Current.Apply(records);
        HasUnsynced = true;
    }

    public void CompactionStarted(long floor)
    {
        _attemptedFloor = Math.Max(_attemptedFloor, floor);
        Current.CompactThrough(floor);
        HasUnsynced = true;
    }

    /// <summary>Everything appended so far is durable.</summary>
    public void Synced()
    {
        _synced = Current.Clone();
        foreach (var (slot, versions) in _versions)
        {
            _syncedVersion[slot] = versions.Count - 1;
        }
        HasUnsynced = false;
    }

    /// <summary>Why <paramref name="recovered"/> is not a state the run may recover to after a crash, or null.</summary>
    public string? Check(DurableState recovered)
    {
        if (!HasUnsynced && Diff(_synced, recovered) is { } diff)
        {
            return $"nothing was unsynced, yet the recovered state differs: {diff}";
        }
        if (recovered.SnapshotSlot < _synced.SnapshotSlot || recovered.SnapshotSlot > Math.Max(_attemptedFloor, _synced.SnapshotSlot))
        {
            return $"snapshot slot {recovered.SnapshotSlot}, synced {_synced.SnapshotSlot}, highest attempted {_attemptedFloor}";
        }
        if (recovered.PromisedBallot < _synced.PromisedBallot || recovered.PromisedBallot > Max(_appendedPromise, _synced.PromisedBallot))
        {
            return $"promise {recovered.PromisedBallot}, synced {_synced.PromisedBallot}, highest appended {_appendedPromise}";
        }
        var highestCommit = Math.Max(Math.Max(_appendedCommit, _synced.CommitIndex), recovered.SnapshotSlot);
        if (recovered.CommitIndex < _synced.CommitIndex || recovered.CommitIndex > highestCommit)
        {
            return $"commit index {recovered.CommitIndex}, synced {_synced.CommitIndex}, highest possible {highestCommit}";
        }
        foreach (var slot in _synced.Entries.Keys)
        {
            if (slot <= recovered.SnapshotSlot)
            {
                continue;
            }
            if (!recovered.Entries.TryGetValue(slot, out var entry))
            {
                return $"synced entry of slot {slot} is missing (snapshot slot {recovered.SnapshotSlot})";
            }
            var encoded = Encode(entry);
            var versions = _versions[slot];
            var found = false;
            for (var v = _syncedVersion[slot]; v < versions.Count && !found; v++)
            {
                found = versions[v].AsSpan().SequenceEqual(encoded);
            }
            if (!found)
            {
                return $"slot {slot} holds neither its synced entry nor a later one";
            }
        }
        foreach (var (slot, entry) in recovered.Entries)
        {
            if (slot <= recovered.SnapshotSlot)
            {
                return $"entry of slot {slot} under the snapshot slot {recovered.SnapshotSlot}";
            }
            var encoded = Encode(entry);
            if (!_versions.TryGetValue(slot, out var versions) || !versions.Any(v => v.AsSpan().SequenceEqual(encoded)))
            {
                return $"slot {slot} holds an entry that was never appended";
            }
        }
        return null;
    }

    /// <summary>After a recovery the check accepted: the recovered state is what is on disk now.</summary>
    public void Restart(DurableState recovered)
    {
        Current = recovered.Clone();
        _versions.Clear();
        _syncedVersion.Clear();
        foreach (var (slot, entry) in recovered.Entries)
        {
            _versions[slot] = [Encode(entry)];
        }
        _appendedPromise = recovered.PromisedBallot;
        _appendedCommit = recovered.CommitIndex;
        _attemptedFloor = recovered.SnapshotSlot;
        Synced();
    }

    /// <summary>The first difference between two states, or null when they are the same.</summary>
    public static string? Diff(DurableState expected, DurableState actual)
    {
        if (expected.SnapshotSlot != actual.SnapshotSlot)
        {
            return $"snapshot slot {actual.SnapshotSlot}, expected {expected.SnapshotSlot}";
        }
        if (expected.PromisedBallot != actual.PromisedBallot)
        {
            return $"promise {actual.PromisedBallot}, expected {expected.PromisedBallot}";
        }
        if (expected.CommitIndex != actual.CommitIndex)
        {
            return $"commit index {actual.CommitIndex}, expected {expected.CommitIndex}";
        }
        if (!expected.Entries.Keys.Order().SequenceEqual(actual.Entries.Keys.Order()))
        {
            return $"slots [{string.Join(",", actual.Entries.Keys.Order())}], expected [{string.Join(",", expected.Entries.Keys.Order())}]";
        }
        foreach (var (slot, entry) in expected.Entries)
        {
            if (!Encode(entry).AsSpan().SequenceEqual(Encode(actual.Entries[slot])))
            {
                return $"entry of slot {slot} differs";
            }
        }
        return null;
    }

    private static Ballot Max(Ballot a, Ballot b) => a > b ? a : b;

    private static byte[] Encode(LogEntry entry)
    {
        var bytes = new byte[LogRecordCodec.EntryBytes(entry)];
        LogRecordCodec.WriteEntry(bytes, entry);
        return bytes;
    }
}
