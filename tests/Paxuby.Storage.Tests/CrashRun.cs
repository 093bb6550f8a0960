using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

/// <summary>The parameters of one crash run, all derived from its seed.</summary>
internal sealed record CrashRunConfig(
    int Seed, double TornWriteProbability, double BitFlipProbability, long SegmentSizeBytes, int Cycles, int StepsPerCycle, int CrashPointMax)
{
    /// <summary>Whether segments are preallocated (zeros to their full size) or grow as they are written.</summary>
    public bool PreallocateSegments { get; init; } = true;

    /// <summary>Test-only: run the deliberately broken compaction (see <see cref="WriteAheadLog.BrokenCompactDeletesBeforeSync"/>).</summary>
    public bool BrokenCompaction { get; init; }

    public static CrashRunConfig FromSeed(int seed)
    {
        var random = new Random(seed);
        double[] torn = [0, 0.5, 1];
        long[] segmentSizes = [256, 1024, 64 * 1024];
        return new CrashRunConfig(
            seed,
            TornWriteProbability: torn[random.Next(torn.Length)],
            BitFlipProbability: random.Next(3) == 0 ? 0.5 : 0,
            SegmentSizeBytes: segmentSizes[random.Next(segmentSizes.Length)],
            Cycles: 4,
            StepsPerCycle: 30,
            CrashPointMax: 150)
        {
            PreallocateSegments = random.Next(2) == 0,
        };
    }

    public override string ToString() =>
        $"seed={Seed} (torn {TornWriteProbability}, flip {BitFlipProbability}, segments of {SegmentSizeBytes} B{(PreallocateSegments ? " preallocated" : "")}{(BrokenCompaction ? ", BROKEN compaction" : "")})";
}

/// <summary>
/// One seeded crash run on a <see cref="SimulatedDevice"/>: cycles of open, random appends, syncs,
/// snapshots and compactions, a crash at a random write or sync, recovery, and the checks of
/// <see cref="DurabilityModel"/> plus those tying the snapshots to the log; then a clean restart
/// that must give back exactly what was synced.
/// </summary>
internal sealed class CrashRun
{
    private const string WalDirectory = "/replica/wal";
    private const string SnapshotDirectory = "/replica/snapshots";

    private readonly CrashRunConfig _config;
    private readonly Random _random;
    private readonly SimulatedDevice _device;
    private readonly DurabilityModel _model = new();
    private readonly List<string> _trace = [];
    private long _round = 1;
    private long _commit;
    private long _committedSnapshot;
    private string _phase = "open";

    private Action<string>? _observe;

    private CrashRun(CrashRunConfig config)
    {
        _config = config;
        _random = new Random(config.Seed);
        _device = new SimulatedDevice(new Random(config.Seed ^ 0x5EED))
        {
            TornWriteProbability = config.TornWriteProbability,
            BitFlipProbability = config.BitFlipProbability,
        };
    }

    /// <summary>Null when every check passed; else what failed, with the seed to reproduce it.</summary>
    /// <param name="observe">
    /// Told what happened, for coverage figures: "crash in {step}" (append, sync, snapshot, compact)
    /// and what recovery did ("tail truncated", "flipped bit cut off", ...).
    /// </param>
    public static string? Run(CrashRunConfig config, Action<string>? observe = null)
    {
        var run = new CrashRun(config) { _observe = observe };
        try
        {
            return run.Execute() is { } problem ? run.Describe(problem) : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return run.Describe($"threw {e}");
        }
    }

    /// <summary>Stops the next run at its <paramref name="crashPoint"/>-th write or sync: for exhaustive crash-point tests.</summary>
    public static string? RunOneCycle(CrashRunConfig config, long crashPoint, out long operations)
    {
        var run = new CrashRun(config);
        try
        {
            var problem = run.Cycle(crashPoint, out operations, out _);
            return problem is null ? null : run.Describe(problem);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            operations = 0;
            return run.Describe($"threw {e}");
        }
    }

    private string Describe(string problem) =>
        $"{problem}\nreproduce with {_config}\ntrace: {string.Join("; ", _trace.TakeLast(25))}";

    private string? Execute()
    {
        for (var cycle = 0; cycle < _config.Cycles; cycle++)
        {
            var crashPoint = _random.Next(0, _config.CrashPointMax);
            if (Cycle(crashPoint, out _, out var stop) is { } problem)
            {
                return $"cycle {cycle}: {problem}";
            }
            if (stop)
            {
                return null;
            }
        }
        // A clean restart: what was synced comes back exactly, and appending goes on.
        using (var log = WriteAheadLog.Open(WalDirectory, Options, _device))
        {
            var ready = NextReady();
            log.Append(ready);
            _model.Appended(ready);
            log.Sync();
            _model.Synced();
        }
        var (state, report) = WriteAheadLog.Recover(WalDirectory, _device);
        return DurabilityModel.Diff(_model.Current, state) is { } diff ? $"clean restart: {diff} ({report})" : null;
    }

    private WriteAheadLogOptions Options => new() { SegmentSizeBytes = _config.SegmentSizeBytes, PreallocateSegments = _config.PreallocateSegments };

    /// <summary>Opens, works until the crash point (or the end of the steps), crashes, recovers, checks.</summary>
    private string? Cycle(long crashPoint, out long operations, out bool stop)
    {
        stop = false;
        var start = _device.OperationCount;
        var store = new SnapshotStore(SnapshotDirectory, _device);
        _device.CrashAfterOperations = crashPoint;
        try
        {
            using var log = WriteAheadLog.Open(WalDirectory, Options, _device);
            log.BrokenCompactDeletesBeforeSync = _config.BrokenCompaction;
            for (var step = 0; step < _config.StepsPerCycle; step++)
            {
                Step(log, store);
            }
        }
        catch (SimulatedCrashException)
        {
            _trace.Add($"crash after {_device.OperationCount - start} operations, in {_phase}");
            _observe?.Invoke($"crash in {_phase}");
        }
        operations = _device.OperationCount - start;
        _phase = "open";
        var crash = _device.Crash();
        foreach (var damage in crash.Damage)
        {
            _trace.Add($"lost {damage.UnsyncedBytes - damage.KeptBytes} of {damage.UnsyncedBytes} unsynced bytes of {Path.GetFileName(damage.Path)}"
                + (damage.FlippedOffset is { } at ? $", flipped a bit at {at}" : ""));
        }

        (DurableState State, RecoveryReport Report) recovered;
        if (_random.Next(4) == 0)
        {
            // A crash during recovery too: its truncations and deletions must be redone or be harmless.
            _device.CrashAfterOperations = _random.Next(0, 3);
            try
            {
                WriteAheadLog.Recover(WalDirectory, _device);
            }
            catch (SimulatedCrashException)
            {
                _trace.Add("crash in recovery");
                _observe?.Invoke("crash in recovery");
            }
            _device.Crash();
        }
        try
        {
            recovered = WriteAheadLog.Recover(WalDirectory, _device);
        }
        catch (Exception e)
        {
            return $"recovery threw {e.GetType().Name}: {e.Message}";
        }
        var (state, report) = recovered;
        _trace.Add($"recovered: {report}");
        Observe(report.TailTruncated, "tail truncated");
        Observe(report.MiddleCorruption, "damage in the middle (unsynced bytes)");
        Observe(report.IncompleteCompactionRemoved, "incomplete compaction removed");
        Observe(report.StaleSegmentsRemoved > 0, "stale segments removed");
        if (CheckDamage(crash, report) is { } damageProblem)
        {
            return damageProblem;
        }
        if (_model.Check(state) is { } problem)
        {
            return problem;
        }
        if (CheckSnapshots(store, state) is { } snapshotProblem)
        {
            return snapshotProblem;
        }
        // Damage in the middle needs rewriting the log, which this run does not do: it ends here.
        stop = report.MiddleCorruption;
        _model.Restart(state);
        return null;
    }

    private void Step(WriteAheadLog log, SnapshotStore store)
    {
        var roll = _random.Next(100);
        if (roll < 55)
        {
            _phase = "append";
            var ready = NextReady();
            _model.Appended(ready);
            _trace.Add($"append {ready.Entries.Count} entries{(ready.PromisedBallot is { } p ? $", promise {p}" : "")}{(ready.CommitIndex is { } c ? $", commit {c}" : "")}");
            log.Append(ready);
        }
        else if (roll < 85)
        {
            _phase = "sync";
            _trace.Add("sync");
            log.Sync();
            _model.Synced();
        }
        else
        {
            var current = _model.Current;
            var floor = _random.NextInt64(current.SnapshotSlot, current.CommitIndex + 1);
            if (floor > _committedSnapshot)
            {
                _phase = "snapshot";
                _trace.Add($"snapshot {floor}");
                WriteSnapshot(store, floor);
                _committedSnapshot = floor;
            }
            _phase = "compact";
            _trace.Add($"compact through {floor}");
            _model.CompactionStarted(floor);
            log.Compact(_model.Current.Clone());
            _model.Synced();
        }
    }

    private PersistRecords NextReady()
    {
        var floor = _model.Current.SnapshotSlot;
        var entries = new List<LogEntry>();
        for (var e = _random.Next(0, 4); e > 0; e--)
        {
            entries.Add(Records.Entry(_random, floor + _random.Next(1, 40)));
        }
        Ballot? promise = _random.Next(4) == 0 ? new Ballot(_round++, _random.Next(0, 5)) : null;
        long? commit = _random.Next(3) == 0 ? _commit += _random.Next(1, 4) : null;
        return new PersistRecords(entries, promise, commit);
    }

    private void WriteSnapshot(SnapshotStore store, long slot)
    {
        var payload = SnapshotPayload(slot);
        using var writer = store.BeginWrite(slot);
        for (var offset = 0; offset < payload.Length;)
        {
            var count = Math.Min(payload.Length - offset, _random.Next(1, 3000));
            writer.Write(payload, offset, count);
            offset += count;
        }
        writer.Commit();
    }

    public static byte[] SnapshotPayload(long slot)
    {
        var random = new Random((int)(slot * 7919 % int.MaxValue));
        // Mostly small; now and then larger than the writer's buffer, so it writes in several pieces.
        var payload = new byte[random.Next(8) == 0 ? random.Next(70_000, 200_000) : random.Next(0, 30_000)];
        random.NextBytes(payload);
        return payload;
    }

    /// <summary>A flipped bit is cut off with the tail, or is reported as damage in the middle of the unsynced bytes.</summary>
    private string? CheckDamage(CrashReport crash, RecoveryReport report)
    {
        var middleExplained = false;
        foreach (var damage in crash.Damage)
        {
            if (damage.FlippedOffset is not { } flipped || !damage.Path.EndsWith(".wal", StringComparison.Ordinal))
            {
                continue;
            }
            var name = Path.GetFileName(damage.Path);
            if (report.MiddleCorruption && report.Segment == name)
            {
                if (report.Offset < damage.SyncedLength || report.Offset > flipped)
                {
                    return $"corruption reported at {report.Offset} in {name}, but only bit {flipped} after synced length {damage.SyncedLength} was flipped";
                }
                middleExplained = true;
                continue;
            }
            if (_device.Exists(damage.Path) && _device.Length(damage.Path) > flipped)
            {
                return $"the bit flipped at {flipped} in {name} was not cut off ({report})";
            }
            Observe(true, "flipped bit cut off");
        }
        return report.MiddleCorruption && !middleExplained ? $"corruption in the middle without a flipped bit: {report}" : null;
    }

    private void Observe(bool happened, string what)
    {
        if (happened)
        {
            _observe?.Invoke(what);
        }
    }

    /// <summary>The log never compacts past the newest durable snapshot, and committed snapshots survive intact.</summary>
    private string? CheckSnapshots(SnapshotStore store, DurableState state)
    {
        var newest = store.FindNewestValid(out var rejected);
        if (rejected.Count > 0)
        {
            return $"committed snapshots are damaged: {string.Join("; ", rejected)}";
        }
        var slot = newest?.Slot ?? 0;
        if (slot < state.SnapshotSlot)
        {
            return $"the log is compacted through {state.SnapshotSlot} but the newest snapshot is of slot {slot}";
        }
        if (slot < _committedSnapshot)
        {
            return $"snapshot {_committedSnapshot} was committed but the newest is {slot}";
        }
        if (newest is not null)
        {
            using var stream = store.OpenRead(newest);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (!copy.ToArray().AsSpan().SequenceEqual(SnapshotPayload(slot)))
            {
                return $"snapshot {slot} reads back different bytes";
            }
        }
        _committedSnapshot = slot;
        return null;
    }
}
