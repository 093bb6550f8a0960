using System.Buffers;
using Paxuby.Consensus;
using Paxuby.Storage;

namespace Paxuby.Consensus.Tests.Simulation;

/// <summary>What one run found and how much it exercised.</summary>
internal sealed class SimResult
{
    public required SimConfig Config { get; init; }
    public List<string> Violations { get; } = new();
    public string Trace { get; set; } = "";
    public long TicksSimulated { get; set; }
    public int Crashes { get; set; }
    public int Pauses { get; set; }
    public int Partitions { get; set; }
    public int LinkFailures { get; set; }
    public long MessagesSent { get; set; }
    public long MessagesDropped { get; set; }
    public long MessagesDuplicated { get; set; }
    public int OpsCompleted { get; set; }
    public int OpsUnknown { get; set; }
    public long SlotsDecided { get; set; }
    public int LeaderChanges { get; set; }
    public int LinearizabilityGaveUp { get; set; }
    public int SnapshotsTaken { get; set; }
    public int SnapshotsSent { get; set; }
    public int SnapshotsInstalled { get; set; }
    public int SnapshotsRestoredOnRestart { get; set; }
    public int CrashesMidInstall { get; set; }

    /// <summary>Real-log mode: restarts recovered from the simulated device.</summary>
    public int LogRecoveries { get; set; }

    /// <summary>Real-log mode: crashes injected between Append and Sync, or inside a snapshot commit or log compaction.</summary>
    public int StorageCrashes { get; set; }

    /// <summary>Real-log mode: recoveries that cut a torn or corrupt tail off the log.</summary>
    public int TornTailsTruncated { get; set; }

    /// <summary>Real-log mode: crashes that kept a flipped bit in an unsynced tail.</summary>
    public int BitFlips { get; set; }

    public long UnsyncedBytesLost { get; set; }

    /// <summary>
    /// Real-log mode: recoveries that reported MiddleCorruption although the bad record lay in the
    /// unsynced tail the last crash damaged (see the README); the driver cut the log there.
    /// </summary>
    public int MiddleCorruptionInUnsyncedTail { get; set; }

    /// <summary>At the end of the long outage: how far the others' floors had moved past the outage replica's commit index.</summary>
    public long OutageFloorLeadSlots { get; set; } = long.MinValue;

    /// <summary>Snapshots the outage replica installed after it rejoined.</summary>
    public int OutageReplicaInstalls { get; set; }

    public bool Ok => Violations.Count == 0;

    public int FaultsInjected => Crashes + Pauses + Partitions + LinkFailures;

    public string Describe() =>
        $"{Config}\nviolations:\n  {string.Join("\n  ", Violations)}\nlast events:\n{Trace}\n"
        + $"reproduce with: PAXUBY_DURABILITY={(Config.Durability == Durability.WriteAheadLog ? "wal" : "memory")} PAXUBY_SEED={Config.Seed} "
        + "dotnet test tests/Paxuby.Consensus.Tests --filter FullyQualifiedName~Swarm";
}

/// <summary>
/// Deterministic simulation of a Paxuby cluster: the real <see cref="Replica"/> on a simulated
/// network (delay, loss, duplication, reordering, partitions, one-way links), simulated disks
/// (a Ready's records are lost if the replica crashes before its write completes), crashes and
/// restarts, pauses, and per-replica clock drift. Clients run GET/SET/INCR/MINCR through any
/// replica. One seed drives everything; checkers are outside the code under test.
/// </summary>
internal sealed class Simulator
{
    private const int TraceLength = 60;

    /// <summary>Log slots above the applied one that a replica may still hold at the end (accepted, not decided).</summary>
    private const int MemorySlackSlots = 64;

    private sealed class SimNode
    {
        public required int Id { get; init; }
        public long PeriodUnits { get; init; }
        public long ClockOffsetMs { get; init; }
        public Replica? Replica { get; set; }
        /// <summary>
        /// In-memory mode: the durable state itself. Real-log mode: what was appended to
        /// <see cref="Log"/> (the state <see cref="WriteAheadLog.Compact"/> is given), replaced by
        /// the recovered state on restart.
        /// </summary>
        public DurableState Disk { get; set; } = new();

        /// <summary>Real-log mode: the replica's disk, its log on it (null while down) and its snapshot files.</summary>
        public SimulatedDevice? Device { get; init; }

        public WriteAheadLog? Log { get; set; }
        public SnapshotStore? Snapshots { get; set; }

        /// <summary>Real-log mode: what the last power failure did to unsynced data.</summary>
        public CrashReport? LastCrash { get; set; }

        public string LogDirectory => $"/r{Id}/wal";
        public string SnapshotDirectory => $"/r{Id}/snapshots";
        public KvStateMachine Kv { get; set; } = new();
        public ExactlyOnceApplier Applier { get; set; } = null!;
        public bool Up { get; set; } = true;
        public bool Paused { get; set; }
        public int Incarnation { get; set; }
        public List<Action> Deferred { get; set; } = new();
        public Ready? InFlight { get; set; }
        public HashSet<(long Client, long Seq)> WaitingWrites { get; } = new();
        public Dictionary<long, (int Client, long Seq)> WaitingReads { get; } = new();
        public List<ReadState> ReadsToServe { get; } = new();

        /// <summary>The durable snapshot (survives crashes): the applier's bytes and the slot they cover.</summary>
        public byte[]? SnapshotBytes { get; set; }
        public long SnapshotSlot { get; set; }

        /// <summary>A received snapshot waiting for the replica to be between Advance and GetReady.</summary>
        public (byte[] Bytes, long Slot)? PendingInstall { get; set; }

        public bool Isolated { get; set; }
    }

    private enum OpKind : byte { Get, Set, Incr, MultiIncr }

    private sealed class ClientOp
    {
        public required OpKind Kind { get; init; }
        public required byte[] Keys { get; init; }
        public long Value { get; init; }
        public required long Seq { get; init; }
        public required long CallTime { get; init; }
        public required long GiveUpAt { get; init; }
    }

    private sealed class SimClient
    {
        public required int Id { get; init; }
        public long Seq { get; set; }
        public ClientOp? Op { get; set; }
        public int Target { get; set; }
        public long AttemptToken { get; set; }
        public bool Stopped { get; set; }
    }

    private enum ReplyKind : byte { Success, Redirect, Retry }

    private readonly SimConfig config;
    private readonly Random faultRng;
    private readonly Random netRng;
    private readonly Random clientRng;
    private readonly Random diskRng;
    private readonly Random storageRng;
    private readonly Random[] nodeRngs;
    private readonly PriorityQueue<Action, (long, long)> events = new();
    private long sequence;
    private readonly SimNode[] nodes;
    private readonly SimClient[] clients;
    private readonly bool[,] linkDown;
    private int[]? partitionGroup;
    private int partitionGeneration;
    private bool faultsOn = true;
    private double lossRate;
    private double duplicateRate;
    private readonly Dictionary<long, Batch> decidedBySlot = new();
    private readonly Dictionary<long, string> stateBySlot = new();
    private readonly Queue<string> trace = new();
    private readonly List<KeyOp>[] historyByKey;
    private readonly List<(long CallTime, long ReturnTime)> livenessOps = new();
    private long livenessFromUnits = long.MaxValue;
    private long nextReadId;
    private readonly List<AppliedCommand> applyResults = new();
    private readonly ArrayBufferWriter<byte> readBuffer = new();

    public Simulator(SimConfig config)
    {
        this.config = config;
        var master = new Random(config.Seed);
        faultRng = new Random(master.Next());
        netRng = new Random(master.Next());
        clientRng = new Random(master.Next());
        diskRng = new Random(master.Next());
        nodeRngs = new Random[config.ReplicaCount];
        nodes = new SimNode[config.ReplicaCount];
        var deviceSeeds = new int[config.ReplicaCount];
        for (var i = 0; i < config.ReplicaCount; i++)
        {
            nodeRngs[i] = new Random(master.Next());
        }
        // Drawn after the older draws, so in-memory runs stay what they were.
        storageRng = new Random(master.Next());
        for (var i = 0; i < config.ReplicaCount; i++)
        {
            deviceSeeds[i] = master.Next();
        }
        for (var i = 0; i < config.ReplicaCount; i++)
        {
            nodes[i] = new SimNode
            {
                Id = i,
                PeriodUnits = SimConfig.UnitsPerTick + nodeRngs[i].Next(-config.ClockDriftUnits, config.ClockDriftUnits + 1),
                ClockOffsetMs = nodeRngs[i].Next(-50, 51),
                Device = config.Durability == Durability.WriteAheadLog
                    ? new SimulatedDevice(new Random(deviceSeeds[i])) { TornWriteProbability = 0.5, BitFlipProbability = config.DiskBitFlipRate }
                    : null,
            };
        }
        clients = new SimClient[config.ClientCount];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = new SimClient { Id = 100 + i, Target = clientRng.Next(config.ReplicaCount) };
        }
        linkDown = new bool[config.ReplicaCount, config.ReplicaCount];
        historyByKey = new List<KeyOp>[config.KeyCount];
        for (var k = 0; k < historyByKey.Length; k++)
        {
            historyByKey[k] = new List<KeyOp>();
        }
        lossRate = config.LossRate;
        duplicateRate = config.DuplicateRate;
        Result = new SimResult { Config = config };
    }

    public SimResult Result { get; }

    public long Now { get; private set; }

    /// <summary>Counts of every message sent, by type (for the measurements).</summary>
    public Dictionary<MessageType, long> MessagesByType { get; } = new();

    /// <summary>Every completed client operation: (call, return) in units, and whether it wrote.</summary>
    public List<(long Call, long Return, bool Write)> CompletedOps { get; } = new();

    /// <summary>(time, replica) of every transition to leader.</summary>
    public List<(long Time, int Replica)> LeaderElections { get; } = new();

    public long DecidedSlotCount => decidedBySlot.Count;

    /// <summary>The full scenario: safety phase with faults, heal, then the liveness phase; then the checks.</summary>
    public static SimResult Run(SimConfig config)
    {
        var sim = new Simulator(config);
        try
        {
            sim.Start();
            sim.ScheduleFault();
            sim.ScheduleOutage();
            var healAt = (long)config.SafetyTicks * SimConfig.UnitsPerTick;
            sim.RunUntil(healAt);
            sim.Heal();
            sim.livenessFromUnits = healAt + (long)config.StabilizeTicks * SimConfig.UnitsPerTick;
            var stopClientsAt = sim.livenessFromUnits + (long)config.LivenessTicks * SimConfig.UnitsPerTick;
            sim.RunUntil(stopClientsAt);
            sim.StopClients();
            sim.RunUntil(stopClientsAt + (long)(config.LivenessBoundTicks + config.ClientGiveUpTicks) * SimConfig.UnitsPerTick);
            sim.CheckEnd();
        }
        catch (Exception e) when (e is ConsensusInvariantException or InvalidOperationException or KeyNotFoundException or NullReferenceException
            or IOException or InvalidDataException)
        {
            var frames = string.Join(" <- ", (e.StackTrace ?? "").Split('\n').Select(f => f.Trim()).Where(f => f.Contains("Paxuby")).Take(3));
            sim.Result.Violations.Add($"exception at t={sim.Now}: {e.GetType().Name}: {e.Message} at {frames}");
        }
        sim.Result.TicksSimulated = sim.Now / SimConfig.UnitsPerTick;
        sim.Result.SlotsDecided = sim.decidedBySlot.Count;
        sim.Result.Trace = string.Join("\n", sim.trace);
        return sim.Result;
    }

    // ---------------------------------------------------------------- driving

    public void Start()
    {
        foreach (var node in nodes)
        {
            StartReplica(node);
        }
        foreach (var client in clients)
        {
            Schedule(Now + clientRng.Next(SimConfig.UnitsPerTick), () => StartNextOp(client));
        }
    }

    public void RunUntil(long untilUnits)
    {
        while (events.TryPeek(out _, out var key) && key.Item1 <= untilUnits)
        {
            var action = events.Dequeue();
            Now = key.Item1;
            action();
        }
        Now = Math.Max(Now, untilUnits);
    }

    private void Schedule(long at, Action action) => events.Enqueue(action, (at, sequence++));

    private void Record(string text)
    {
        if (trace.Count == TraceLength)
        {
            trace.Dequeue();
        }
        trace.Enqueue($"  t={Now / SimConfig.UnitsPerTick}.{Now % SimConfig.UnitsPerTick:D2} {text}");
    }

    /// <summary>Runs an action on a replica's process: dropped if it crashed, held while it is paused.</summary>
    private void OnNode(SimNode node, int incarnation, Action action)
    {
        if (!node.Up || node.Incarnation != incarnation)
        {
            return;
        }
        if (node.Paused)
        {
            node.Deferred.Add(action);
            return;
        }
        action();
    }

    private void StartReplica(SimNode node)
    {
        node.Up = true;
        node.Paused = false;
        node.Incarnation++;
        node.Deferred = new();
        node.InFlight = null;
        node.PendingInstall = null;
        node.Kv = new KvStateMachine();
        node.Applier = new ExactlyOnceApplier(node.Kv);
        if (node.Device is { } device)
        {
            RecoverFromDevice(node, device);
        }
        else if (node.SnapshotBytes is { } snapshot)
        {
            // Recovery: the state machine from its durable snapshot, the log from the disk above the
            // floor. A snapshot newer than the log's commit index (a crash between writing an installed
            // snapshot and recording its compaction) proves its slots decided: record that first.
            if (node.SnapshotSlot > node.Disk.CommitIndex)
            {
                node.Disk.CompactThrough(node.SnapshotSlot);
            }
            node.Applier.Restore(new MemoryStream(snapshot));
            Result.SnapshotsRestoredOnRestart++;
            if (node.Applier.AppliedSlot != node.SnapshotSlot)
            {
                Violation($"r{node.Id}: snapshot of slot {node.SnapshotSlot} restores applied slot {node.Applier.AppliedSlot}");
            }
        }
        node.WaitingWrites.Clear();
        node.WaitingReads.Clear();
        node.ReadsToServe.Clear();
        node.Replica = new Replica(config.OptionsFor(node.Id), node.Disk.Clone(), new Random(nodeRngs[node.Id].Next()), node.Applier.AppliedSlot);
        ScheduleTick(node, node.Incarnation, Now + nodeRngs[node.Id].Next(1, (int)node.PeriodUnits));
    }

    /// <summary>
    /// Real-log restart, as the server's ReplicaHost does it: the newest valid snapshot file into
    /// the applier, <see cref="WriteAheadLog.Recover"/> for the log, the log compacted through the
    /// snapshot's slot (a snapshot newer than the log's commit index proves its slots decided).
    /// </summary>
    private void RecoverFromDevice(SimNode node, SimulatedDevice device)
    {
        var snapshots = new SnapshotStore(node.SnapshotDirectory, device);
        node.Snapshots = snapshots;
        node.SnapshotBytes = null;
        node.SnapshotSlot = 0;
        var newest = snapshots.FindNewestValid(out var rejected);
        if (rejected.Count > 0)
        {
            // Snapshot files are synced before they are renamed into place: crashes never touch them.
            Violation($"r{node.Id}: snapshot files rejected on restart: {string.Join("; ", rejected)}");
        }
        if (newest is not null)
        {
            var bytes = new MemoryStream();
            using (var stream = snapshots.OpenRead(newest))
            {
                stream.CopyTo(bytes);
            }
            node.SnapshotBytes = bytes.ToArray();
            node.SnapshotSlot = newest.Slot;
            node.Applier.Restore(new MemoryStream(node.SnapshotBytes));
            Result.SnapshotsRestoredOnRestart++;
            if (node.Applier.AppliedSlot != newest.Slot)
            {
                Violation($"r{node.Id}: snapshot file of slot {newest.Slot} restores applied slot {node.Applier.AppliedSlot}");
            }
        }
        var (durable, report) = WriteAheadLog.Recover(node.LogDirectory, device);
        Result.LogRecoveries++;
        if (report.MiddleCorruption && !config.StrictRecovery && IsInDamagedTail(node, report))
        {
            // Not lost data: every record from the bad one on was unsynced when the power failed,
            // so none was revealed. Cut the log there (what recovery does for a torn tail) and recover again.
            Result.MiddleCorruptionInUnsyncedTail++;
            Record($"r{node.Id} recovery reports middle corruption inside the unsynced tail the crash damaged: {report}");
            device.Truncate(Path.Combine(node.LogDirectory, report.Segment!), report.Offset);
            (durable, report) = WriteAheadLog.Recover(node.LogDirectory, device);
        }
        if (report.MiddleCorruption)
        {
            Violation($"r{node.Id}: log recovery found corruption in its middle after faults only in unsynced data: {report}");
        }
        if (report.TailTruncated)
        {
            Result.TornTailsTruncated++;
        }
        if (durable.SnapshotSlot > node.Applier.AppliedSlot)
        {
            Violation($"r{node.Id}: the log starts after slot {durable.SnapshotSlot} but the newest snapshot covers only slot {node.Applier.AppliedSlot}");
        }
        durable.CompactThrough(node.Applier.AppliedSlot);
        node.Disk = durable;
        node.Log = WriteAheadLog.Open(node.LogDirectory, new WriteAheadLogOptions { SegmentSizeBytes = config.LogSegmentBytes }, device);
        node.LastCrash = null;
    }

    /// <summary>Whether the bad record recovery reports lies in bytes the last crash left unsynced (and kept, torn or flipped).</summary>
    private static bool IsInDamagedTail(SimNode node, RecoveryReport report) =>
        node.LastCrash is { } crash && report.Segment is { } segment
        && crash.Damage.Any(d => Path.GetFileName(d.Path) == segment && Path.GetDirectoryName(d.Path) == node.LogDirectory
            && report.Offset >= d.SyncedLength && d.KeptBytes > 0);

    private void ScheduleTick(SimNode node, int incarnation, long at) =>
        Schedule(at, () =>
        {
            if (!node.Up || node.Incarnation != incarnation)
            {
                return;
            }
            // Ticks come from a monotonic clock: a paused process gets the missed ones on resume.
            OnNode(node, incarnation, () =>
            {
                node.Replica!.Tick();
                Pump(node);
            });
            ScheduleTick(node, incarnation, at + node.PeriodUnits);
        });

    /// <summary>The driver loop: eager sends, apply and serve reads, persist (with disk latency), sends, advance.</summary>
    private void Pump(SimNode node)
    {
        var replica = node.Replica;
        if (replica is null || node.InFlight is not null)
        {
            return;
        }
        if (node.PendingInstall is { } install)
        {
            node.PendingInstall = null;
            InstallSnapshot(node, install.Bytes, install.Slot);
            if (node.Replica != replica)
            {
                return; // it crashed while installing
            }
        }
        if (!replica.HasReady)
        {
            return;
        }
        var ready = replica.GetReady();
        node.InFlight = ready;
        foreach (var message in ready.EagerMessages)
        {
            Send(message);
        }
        foreach (var peer in ready.SnapshotsToSend)
        {
            SendSnapshot(node, peer);
        }
        ApplyDecided(node, ready);
        if (ready.Persist.IsEmpty)
        {
            Complete(node, ready, messagesSent: false);
            return;
        }
        var incarnation = node.Incarnation;
        var latencyUnits = diskRng.Next(config.MaxDiskLatencyUnits + 1);
        var messagesSent = false;
        if (node.Log is { } log)
        {
            // The write reaches the OS now; Complete syncs it once the disk latency has passed.
            node.Disk.Apply(ready.Persist);
            log.Append(ready.Persist);
            if (config.BrokenSendBeforeSync)
            {
                SendMessages(node, ready);
                messagesSent = true;
            }
            if (faultsOn && storageRng.NextDouble() < config.CrashInStorageRate)
            {
                // Scheduled before Complete, so at an equal time the crash comes first.
                Schedule(Now + storageRng.Next(latencyUnits + 1), () =>
                {
                    if (node.Up && node.Incarnation == incarnation && faultsOn)
                    {
                        StorageCrash(node, "between appending a Ready's records and syncing them");
                    }
                });
            }
        }
        Schedule(Now + latencyUnits, () => OnNode(node, incarnation, () => Complete(node, ready, messagesSent)));
    }

    private void SendMessages(SimNode node, Ready ready)
    {
        foreach (var message in ready.Messages)
        {
            Send(message);
        }
        if (config.BrokenSendBeforeSync && faultsOn && ready.Messages.Any(m => m.Type is MessageType.Promise or MessageType.Accepted)
            && storageRng.NextDouble() < config.CrashAfterPromiseRate)
        {
            // The broken variant's window: a vote is out, its record not yet synced.
            StorageCrash(node, "after revealing a vote whose record is not synced");
        }
    }

    /// <summary>
    /// Applies a Ready's decided slots and answers their clients: as the server does, before the
    /// Ready's own records are durable (a decided slot already is, on a majority).
    /// </summary>
    private void ApplyDecided(SimNode node, Ready ready)
    {
        foreach (var decided in ready.Decided)
        {
            RecordDecision(node, decided);
            applyResults.Clear();
            node.Applier.Apply(decided, applyResults);
            RecordState(node, decided.Slot);
            foreach (var applied in applyResults)
            {
                var key = (applied.ClientId, applied.Sequence);
                if (node.WaitingWrites.Remove(key) && applied.Reply is { } reply)
                {
                    ReplyToClient(key.ClientId, key.Sequence, 0, ReplyKind.Success, reply, -1);
                }
            }
        }
        node.ReadsToServe.AddRange(ready.Reads);
        ServeReads(node);
    }

    private void Complete(SimNode node, Ready ready, bool messagesSent)
    {
        if (node.Log is { } log)
        {
            log.Sync();
        }
        else
        {
            node.Disk.Apply(ready.Persist);
        }
        if (!messagesSent)
        {
            SendMessages(node, ready);
        }
        if (!node.Up)
        {
            return;
        }
        if (ready.RoleChange is { } role)
        {
            Record($"r{node.Id} {role.Role} leader={role.LeaderId} ballot={role.Ballot}");
            if (role.Role == Role.Leader)
            {
                Result.LeaderChanges++;
                LeaderElections.Add((Now, node.Id));
            }
        }
        foreach (var readId in ready.FailedReads)
        {
            if (node.WaitingReads.Remove(readId, out var waiting))
            {
                ReplyToClient(waiting.Client, waiting.Seq, 0, ReplyKind.Retry, [], -1);
            }
        }
        foreach (var dropped in ready.DroppedProposals)
        {
            if (node.WaitingWrites.Remove((dropped.ClientId, dropped.Sequence)))
            {
                ReplyToClient(dropped.ClientId, dropped.Sequence, 0, ReplyKind.Retry, [], -1);
            }
        }
        node.InFlight = null;
        node.Replica!.Advance(ready);
        MaybeSnapshot(node);
        if (faultsOn && ready.Messages.Any(m => m.Type == MessageType.Promise) && faultRng.NextDouble() < config.CrashAfterPromiseRate)
        {
            CrashSoonAndRestart(node);
        }
        Pump(node);
    }

    /// <summary>
    /// Every <see cref="SimConfig.SnapshotEverySlots"/> applied slots: a durable snapshot of the
    /// applier (its exactly-once table included), then compaction of the disk and of the replica.
    /// </summary>
    private void MaybeSnapshot(SimNode node)
    {
        var applied = node.Applier.AppliedSlot;
        if (config.SnapshotEverySlots <= 0 || applied - node.SnapshotSlot < config.SnapshotEverySlots)
        {
            return;
        }
        var stream = new MemoryStream();
        node.Applier.Snapshot(stream);
        var bytes = stream.ToArray();
        var floor = applied - config.SnapshotRetainSlots;
        // As the server does it: the snapshot file durable first, then the core and the log compacted.
        if (node.Log is not null && !WriteSnapshotFile(node, bytes, applied, "taking"))
        {
            return;
        }
        node.SnapshotBytes = bytes;
        node.SnapshotSlot = applied;
        Result.SnapshotsTaken++;
        // As the server does it: the core keeps the retained slots, the disk keeps nothing the
        // snapshot holds.
        node.Replica!.Compact(floor);
        if (node.Log is not null)
        {
            CompactLog(node, applied);
        }
        else
        {
            node.Disk.CompactThrough(applied);
        }
    }

    /// <summary>
    /// Real-log mode: writes a snapshot file and commits it (fsync, rename, directory fsync). With
    /// <see cref="SimConfig.CrashInStorageRate"/> the power fails at a random write or sync of it,
    /// or right after it (before the log is compacted). False when the replica crashed.
    /// </summary>
    private bool WriteSnapshotFile(SimNode node, byte[] bytes, long slot, string why)
    {
        var device = node.Device!;
        var crashAt = faultsOn && storageRng.NextDouble() < config.CrashInStorageRate ? storageRng.Next(8) : -1;
        if (crashAt >= 0 && crashAt < 6)
        {
            device.CrashAfterOperations = crashAt;
        }
        try
        {
            using var writer = node.Snapshots!.BeginWrite(slot);
            writer.Write(bytes);
            writer.Commit();
        }
        catch (SimulatedCrashException)
        {
            StorageCrash(node, $"while committing the snapshot file of slot {slot} ({why})");
            return false;
        }
        device.CrashAfterOperations = null;
        if (crashAt >= 6)
        {
            StorageCrash(node, $"after committing the snapshot file of slot {slot} ({why}), before compacting the log");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Real-log mode: the log rewritten without the slots through <paramref name="floor"/>; with
    /// <see cref="SimConfig.CrashInStorageRate"/> the power fails at a random write or sync of it.
    /// False when the replica crashed.
    /// </summary>
    private bool CompactLog(SimNode node, long floor)
    {
        var device = node.Device!;
        node.Disk.CompactThrough(floor);
        if (faultsOn && storageRng.NextDouble() < config.CrashInStorageRate)
        {
            device.CrashAfterOperations = storageRng.Next(6);
        }
        try
        {
            node.Log!.Compact(node.Disk);
        }
        catch (SimulatedCrashException)
        {
            StorageCrash(node, $"while compacting the log through slot {floor}");
            return false;
        }
        device.CrashAfterOperations = null;
        return true;
    }

    /// <summary>A power failure at a storage step the swarm aims at; the replica comes back soon.</summary>
    private void StorageCrash(SimNode node, string where)
    {
        Result.StorageCrashes++;
        Record($"r{node.Id} crashes {where}");
        Crash(node);
        Schedule(Now + (long)(1 + storageRng.Next(15)) * SimConfig.UnitsPerTick, () =>
        {
            if (faultsOn && !node.Up)
            {
                Record($"r{node.Id} restarts");
                StartReplica(node);
            }
        });
    }

    /// <summary>A leader's driver sends its newest durable snapshot, whole, through the simulated network.</summary>
    private void SendSnapshot(SimNode from, int to)
    {
        if (from.SnapshotBytes is not { } bytes)
        {
            Violation($"r{from.Id} asked to send a snapshot to r{to} but has none (floor {from.Replica!.SnapshotSlot})");
            return;
        }
        Result.SnapshotsSent++;
        var slot = from.SnapshotSlot;
        Record($"r{from.Id} sends snapshot of slot {slot} to r{to}");
        if (IsCut(from.Id, to) || netRng.NextDouble() < lossRate)
        {
            return;
        }
        Schedule(Now + netRng.Next(config.MinDelayUnits, config.MaxDelayUnits + 1), () =>
        {
            var node = nodes[to];
            OnNode(node, node.Incarnation, () =>
            {
                if (node.PendingInstall is not { } pending || pending.Slot < slot)
                {
                    node.PendingInstall = (bytes, slot);
                }
                Pump(node);
            });
        });
    }

    /// <summary>The receiving driver: restore the applier, make the snapshot durable, then tell the replica.</summary>
    private void InstallSnapshot(SimNode node, byte[] bytes, long slot)
    {
        var replica = node.Replica!;
        if (slot <= replica.AppliedIndex)
        {
            return;
        }
        if (node.Log is not null)
        {
            InstallSnapshotThroughDevice(node, replica, bytes, slot);
            return;
        }
        node.Applier.Restore(new MemoryStream(bytes));
        if (node.Applier.AppliedSlot != slot)
        {
            Violation($"r{node.Id}: snapshot of slot {slot} restores applied slot {node.Applier.AppliedSlot}");
        }
        node.SnapshotBytes = bytes;
        node.SnapshotSlot = slot;
        if (faultsOn && faultRng.NextDouble() < config.CrashMidInstallRate)
        {
            // The snapshot file is durable, the log's compaction record is not.
            Record($"r{node.Id} crashes while installing the snapshot of slot {slot}");
            Result.CrashesMidInstall++;
            Crash(node);
            Schedule(Now + (long)(1 + faultRng.Next(10)) * SimConfig.UnitsPerTick, () =>
            {
                if (faultsOn && !node.Up)
                {
                    Record($"r{node.Id} restarts");
                    StartReplica(node);
                }
            });
            return;
        }
        node.Disk.CompactThrough(slot);
        InstallInCore(node, replica, slot);
        ServeReads(node);
    }

    /// <summary>
    /// Real-log mode, in the server's order: the received snapshot written as a snapshot file and
    /// committed, the applier restored from it, <see cref="Replica.InstallSnapshot"/>, then the log compacted.
    /// </summary>
    private void InstallSnapshotThroughDevice(SimNode node, Replica replica, byte[] bytes, long slot)
    {
        if (!WriteSnapshotFile(node, bytes, slot, "installing"))
        {
            Result.CrashesMidInstall++;
            return;
        }
        node.SnapshotBytes = bytes;
        node.SnapshotSlot = slot;
        node.Applier.Restore(new MemoryStream(bytes));
        if (node.Applier.AppliedSlot != slot)
        {
            Violation($"r{node.Id}: snapshot of slot {slot} restores applied slot {node.Applier.AppliedSlot}");
        }
        if (faultsOn && faultRng.NextDouble() < config.CrashMidInstallRate)
        {
            Result.CrashesMidInstall++;
            StorageCrash(node, $"while installing the snapshot of slot {slot} (file durable, log not compacted)");
            return;
        }
        InstallInCore(node, replica, slot);
        if (!CompactLog(node, slot))
        {
            return;
        }
        ServeReads(node);
    }

    /// <summary>Hands an installed snapshot to the core and records it for the checkers.</summary>
    private void InstallInCore(SimNode node, Replica replica, long slot)
    {
        if (!replica.InstallSnapshot(slot))
        {
            Violation($"r{node.Id}: InstallSnapshot({slot}) refused above applied {replica.AppliedIndex}");
        }
        Result.SnapshotsInstalled++;
        if (node.Id == config.OutageReplica && Result.OutageFloorLeadSlots != long.MinValue)
        {
            Result.OutageReplicaInstalls++;
        }
        Record($"r{node.Id} installs snapshot of slot {slot}");
        RecordState(node, slot);
    }

    private void CrashSoonAndRestart(SimNode node)
    {
        var incarnation = node.Incarnation;
        Schedule(Now + 1 + faultRng.Next(SimConfig.UnitsPerTick), () =>
        {
            // Faults stop at the heal: a crash landing after it would never be restarted.
            if (node.Incarnation != incarnation || !node.Up || !faultsOn)
            {
                return;
            }
            Crash(node);
            Schedule(Now + (long)(1 + faultRng.Next(20)) * SimConfig.UnitsPerTick, () =>
            {
                if (faultsOn && !node.Up)
                {
                    Record($"r{node.Id} restarts");
                    StartReplica(node);
                }
            });
        });
    }

    private void ServeReads(SimNode node)
    {
        for (var i = node.ReadsToServe.Count - 1; i >= 0; i--)
        {
            var read = node.ReadsToServe[i];
            if (read.Slot > node.Applier.AppliedSlot)
            {
                continue;
            }
            node.ReadsToServe.RemoveAt(i);
            if (!node.WaitingReads.Remove(read.ReadId, out var waiting))
            {
                continue;
            }
            var client = clients[waiting.Client - 100];
            if (client.Op is not { } op || op.Seq != waiting.Seq)
            {
                continue;
            }
            readBuffer.Clear();
            node.Applier.Read(NodeTimeMs(node), KvStateMachine.EncodeGet(op.Keys[0]), readBuffer);
            ReplyToClient(waiting.Client, waiting.Seq, 0, ReplyKind.Success, readBuffer.WrittenSpan.ToArray(), -1);
        }
    }

    private long NodeTimeMs(SimNode node) => Now * SimConfig.UnitsPerTick / node.PeriodUnits / 10 + 1_000_000 + node.ClockOffsetMs;

    // ---------------------------------------------------------------- network

    private void Send(Message message)
    {
        Result.MessagesSent++;
        MessagesByType[message.Type] = MessagesByType.GetValueOrDefault(message.Type) + 1;
        if (IsCut(message.From, message.To) || netRng.NextDouble() < lossRate)
        {
            Result.MessagesDropped++;
            return;
        }
        Deliver(message, Now + netRng.Next(config.MinDelayUnits, config.MaxDelayUnits + 1));
        if (netRng.NextDouble() < duplicateRate)
        {
            Result.MessagesDuplicated++;
            Deliver(message, Now + netRng.Next(config.MinDelayUnits, config.MaxDelayUnits * 2 + 1));
        }
    }

    private bool IsCut(int from, int to) =>
        linkDown[from, to] || nodes[from].Isolated || nodes[to].Isolated
        || (partitionGroup is { } groups && groups[from] != groups[to]);

    private void Deliver(Message message, long at) =>
        Schedule(at, () =>
        {
            var node = nodes[message.To];
            OnNode(node, node.Incarnation, () =>
            {
                node.Replica!.Step(message);
                Pump(node);
            });
        });

    // ---------------------------------------------------------------- faults

    private void ScheduleFault()
    {
        if (config.MeanTicksBetweenFaults <= 0)
        {
            return;
        }
        var gapTicks = 1 + (int)(-Math.Log(1 - faultRng.NextDouble()) * config.MeanTicksBetweenFaults);
        Schedule(Now + (long)gapTicks * SimConfig.UnitsPerTick, () =>
        {
            if (!faultsOn)
            {
                return;
            }
            InjectFault();
            ScheduleFault();
        });
    }

    /// <summary>
    /// The long outage of <see cref="SimConfig.OutageReplica"/>: crashed or isolated while the others
    /// commit and compact past it, then back; optionally it and the leader crash again during its catch-up.
    /// </summary>
    private void ScheduleOutage()
    {
        if (config.OutageReplica < 0)
        {
            return;
        }
        var node = nodes[config.OutageReplica];
        var endAt = (long)(config.OutageStartTick + config.OutageTicks) * SimConfig.UnitsPerTick;
        Schedule((long)config.OutageStartTick * SimConfig.UnitsPerTick, () =>
        {
            if (!faultsOn)
            {
                return;
            }
            Record($"r{node.Id} long outage for {config.OutageTicks} ticks ({(config.OutageIsolates ? "isolated" : "crashed")})");
            if (config.OutageIsolates)
            {
                node.Isolated = true;
            }
            else if (node.Up)
            {
                Crash(node);
            }
            Schedule(endAt, () =>
            {
                if (!faultsOn)
                {
                    return;
                }
                var behindAt = node.Replica?.CommitIndex ?? node.Disk.CommitIndex;
                var othersFloor = nodes.Where(n => n != node && n.Replica is not null).Select(n => n.Replica!.SnapshotSlot).DefaultIfEmpty(0).Max();
                Result.OutageFloorLeadSlots = othersFloor - behindAt;
                Record($"r{node.Id} rejoins after its long outage at commit {behindAt}; the others' floor is {othersFloor}");
                node.Isolated = false;
                if (!node.Up)
                {
                    StartReplica(node);
                }
                if (config.RecrashAfterRejoinTicks > 0)
                {
                    ScheduleRecrash(node, config.RecrashAfterRejoinTicks);
                }
            });
        });
    }

    private void ScheduleRecrash(SimNode node, int afterTicks)
    {
        var at = Now + (long)afterTicks * SimConfig.UnitsPerTick;
        Schedule(at, () =>
        {
            if (faultsOn && node.Up)
            {
                Record($"r{node.Id} crashes while catching up");
                CrashSoonAndRestart(node);
            }
        });
        Schedule(at + 3 * SimConfig.UnitsPerTick, () =>
        {
            var leader = CurrentLeader();
            if (faultsOn && leader >= 0)
            {
                Record($"leader r{leader} crashes during the catch-up");
                CrashSoonAndRestart(nodes[leader]);
            }
        });
    }

    private void InjectFault()
    {
        var node = nodes[faultRng.Next(nodes.Length)];
        switch (faultRng.Next(4))
        {
            case 0 when node.Up:
                Crash(node);
                var downTicks = 5 + faultRng.Next(80);
                Schedule(Now + (long)downTicks * SimConfig.UnitsPerTick, () =>
                {
                    if (faultsOn && !node.Up)
                    {
                        Record($"r{node.Id} restarts");
                        StartReplica(node);
                    }
                });
                break;
            case 1 when node.Up && !node.Paused:
                Result.Pauses++;
                node.Paused = true;
                var pauseTicks = 5 + faultRng.Next(60);
                Record($"r{node.Id} paused for {pauseTicks} ticks");
                var incarnation = node.Incarnation;
                Schedule(Now + (long)pauseTicks * SimConfig.UnitsPerTick, () =>
                {
                    if (node.Incarnation == incarnation)
                    {
                        Resume(node);
                    }
                });
                break;
            case 2:
                Result.Partitions++;
                var groups = new int[nodes.Length];
                for (var i = 0; i < groups.Length; i++)
                {
                    groups[i] = faultRng.Next(2);
                }
                partitionGroup = groups;
                var generation = ++partitionGeneration;
                var partitionTicks = 10 + faultRng.Next(100);
                Record($"partition {string.Join("", groups)} for {partitionTicks} ticks");
                Schedule(Now + (long)partitionTicks * SimConfig.UnitsPerTick, () =>
                {
                    if (partitionGeneration == generation)
                    {
                        partitionGroup = null;
                        Record("partition healed");
                    }
                });
                break;
            case 3:
                var to = faultRng.Next(nodes.Length);
                if (to == node.Id)
                {
                    break;
                }
                Result.LinkFailures++;
                linkDown[node.Id, to] = true;
                var linkTicks = 10 + faultRng.Next(100);
                Record($"link r{node.Id}->r{to} down for {linkTicks} ticks");
                Schedule(Now + (long)linkTicks * SimConfig.UnitsPerTick, () => linkDown[node.Id, to] = false);
                break;
            default:
                break;
        }
    }

    private void Crash(SimNode node)
    {
        Result.Crashes++;
        Record($"r{node.Id} crashes" + (node.InFlight is { Persist.IsEmpty: false } ? " (losing an unfinished write)" : ""));
        if (node.Device is { } device)
        {
            // A power failure: unsynced bytes go (a torn prefix may stay, maybe with a flipped bit).
            // The log is dropped, not disposed: disposing would sync what the crash must lose.
            node.Log = null;
            node.Snapshots = null;
            var report = device.Crash();
            node.LastCrash = report;
            foreach (var damage in report.Damage)
            {
                Result.UnsyncedBytesLost += damage.UnsyncedBytes - damage.KeptBytes;
                Result.BitFlips += damage.FlippedOffset is null ? 0 : 1;
                Record($"r{node.Id} disk: {damage.Path} kept {damage.KeptBytes} of {damage.UnsyncedBytes} unsynced bytes"
                    + (damage.FlippedOffset is { } at ? $", bit flipped at {at}" : ""));
            }
        }
        node.Up = false;
        node.Paused = false;
        node.Incarnation++;
        node.Replica = null;
        node.InFlight = null;
        node.Deferred = new();
        node.WaitingWrites.Clear();
        node.WaitingReads.Clear();
        node.ReadsToServe.Clear();
    }

    public void CrashReplica(int replicaId) => Crash(nodes[replicaId]);

    public void RestartReplica(int replicaId) => StartReplica(nodes[replicaId]);

    public int CurrentLeader() =>
        nodes.Where(n => n.Up && n.Replica?.Role == Role.Leader).Select(n => n.Id).DefaultIfEmpty(-1).Max();

    private void Resume(SimNode node)
    {
        if (!node.Paused)
        {
            return;
        }
        node.Paused = false;
        Record($"r{node.Id} resumes ({node.Deferred.Count} events held)");
        var held = node.Deferred;
        node.Deferred = new();
        var incarnation = node.Incarnation;
        foreach (var action in held)
        {
            if (!node.Up || node.Incarnation != incarnation)
            {
                break; // a held event crashed it (mid-install): the rest died with the process
            }
            action();
        }
    }

    private void Heal()
    {
        faultsOn = false;
        partitionGroup = null;
        foreach (var node in nodes)
        {
            node.Isolated = false;
        }
        Array.Clear(linkDown);
        lossRate = 0;
        duplicateRate = 0;
        Record("heal: faults stop");
        var keepDown = nodes.Select(n => n.Id).OrderBy(_ => faultRng.Next()).Take(config.LeftDownAfterHeal).ToHashSet();
        foreach (var node in nodes)
        {
            if (keepDown.Contains(node.Id))
            {
                if (node.Up)
                {
                    Crash(node);
                }
                continue;
            }
            if (!node.Up)
            {
                StartReplica(node);
            }
            else
            {
                Resume(node);
            }
        }
    }

    // ---------------------------------------------------------------- clients

    public void StopClients()
    {
        foreach (var client in clients)
        {
            client.Stopped = true;
        }
    }

    private void StartNextOp(SimClient client)
    {
        if (client.Stopped)
        {
            return;
        }
        var keys = config.KeyCount;
        var first = (byte)clientRng.Next(keys);
        var kind = (OpKind)clientRng.Next(4);
        byte[] opKeys = [first];
        if (kind == OpKind.MultiIncr)
        {
            var second = (byte)((first + 1 + clientRng.Next(keys - 1)) % keys);
            opKeys = [first, second];
        }
        if (clientRng.NextDouble() < config.RandomTargetRate)
        {
            // Clients connect to any replica, not only to the leader they last found.
            client.Target = clientRng.Next(nodes.Length);
        }
        client.Seq++;
        client.Op = new ClientOp
        {
            Kind = kind,
            Keys = opKeys,
            Value = kind == OpKind.Set ? client.Id * 1_000_000L + client.Seq : 0,
            Seq = client.Seq,
            CallTime = Now,
            GiveUpAt = Now + (long)config.ClientGiveUpTicks * SimConfig.UnitsPerTick,
        };
        SendAttempt(client);
    }

    private void SendAttempt(SimClient client)
    {
        var op = client.Op!;
        var token = ++client.AttemptToken;
        var node = nodes[client.Target];
        Schedule(Now + 1 + clientRng.Next(config.ClientHopMaxUnits + 1), () => OnNode(node, node.Incarnation, () => HandleRequest(node, client, op, token)));
        Schedule(Now + (long)config.ClientAttemptTimeoutTicks * SimConfig.UnitsPerTick, () =>
        {
            if (client.Op != op || client.AttemptToken != token)
            {
                return;
            }
            if (Now >= op.GiveUpAt)
            {
                GiveUp(client, op);
                return;
            }
            // Silence: try the next replica in turn, so every replica is tried within n attempts.
            client.Target = (client.Target + 1) % nodes.Length;
            SendAttempt(client);
        });
    }

    private void HandleRequest(SimNode node, SimClient client, ClientOp op, long token)
    {
        var replica = node.Replica!;
        if (op.Kind == OpKind.Get)
        {
            var readId = ++nextReadId;
            switch (replica.Read(readId))
            {
                case ReadStatus.Pending:
                    node.WaitingReads[readId] = (client.Id, op.Seq);
                    break;
                case ReadStatus.NotLeader:
                    ReplyToClient(client.Id, op.Seq, token, ReplyKind.Redirect, [], replica.LeaderId);
                    break;
                default:
                    ReplyToClient(client.Id, op.Seq, token, ReplyKind.Retry, [], -1);
                    break;
            }
        }
        else
        {
            var payload = op.Kind switch
            {
                OpKind.Set => KvStateMachine.EncodeSet(op.Keys[0], op.Value),
                OpKind.Incr => KvStateMachine.EncodeIncr(op.Keys[0]),
                _ => KvStateMachine.EncodeMultiIncr(op.Keys),
            };
            var command = new Command(client.Id, op.Seq, NodeTimeMs(node), payload);
            switch (replica.Propose(command))
            {
                case ProposeStatus.Accepted:
                    node.WaitingWrites.Add((client.Id, op.Seq));
                    break;
                case ProposeStatus.NotLeader:
                    ReplyToClient(client.Id, op.Seq, token, ReplyKind.Redirect, [], replica.LeaderId);
                    break;
                default:
                    ReplyToClient(client.Id, op.Seq, token, ReplyKind.Retry, [], -1);
                    break;
            }
        }
        Pump(node);
    }

    private void ReplyToClient(long clientId, long seq, long token, ReplyKind kind, byte[] payload, int leaderHint)
    {
        var client = clients[clientId - 100];
        Schedule(Now + 1 + clientRng.Next(config.ClientHopMaxUnits + 1), () =>
        {
            if (client.Op is not { } op || op.Seq != seq)
            {
                return;
            }
            if (kind == ReplyKind.Success)
            {
                Complete(client, op, payload);
                return;
            }
            if (token != 0 && token != client.AttemptToken)
            {
                return;
            }
            if (token == 0 && kind == ReplyKind.Retry)
            {
                // a replica dropped a queued request; the attempt timeout would catch it too
            }
            client.Target = leaderHint >= 0 ? leaderHint : clientRng.Next(nodes.Length);
            var backoff = 10 + clientRng.Next(50);
            var attempt = ++client.AttemptToken;
            Schedule(Now + backoff, () =>
            {
                if (client.Op == op && client.AttemptToken == attempt)
                {
                    SendAttempt(client);
                }
            });
        });
    }

    private void Complete(SimClient client, ClientOp op, byte[] reply)
    {
        client.Op = null;
        Result.OpsCompleted++;
        CompletedOps.Add((op.CallTime, Now, op.Kind != OpKind.Get));
        if (op.CallTime >= livenessFromUnits)
        {
            livenessOps.Add((op.CallTime, Now));
        }
        switch (op.Kind)
        {
            case OpKind.Get:
                var value = KvStateMachine.DecodeGet(reply);
                historyByKey[op.Keys[0]].Add(new KeyOp(client.Id, op.CallTime, Now, KeyOpKind.Get, 0, value, true));
                break;
            case OpKind.Set:
                historyByKey[op.Keys[0]].Add(new KeyOp(client.Id, op.CallTime, Now, KeyOpKind.Set, op.Value, null, true));
                break;
            default:
                var values = KvStateMachine.DecodeLongs(reply);
                for (var i = 0; i < op.Keys.Length; i++)
                {
                    historyByKey[op.Keys[i]].Add(new KeyOp(client.Id, op.CallTime, Now, KeyOpKind.Incr, 0, values[i], true));
                }
                break;
        }
        Schedule(Now + clientRng.Next(config.MaxThinkTicks * SimConfig.UnitsPerTick + 1), () => StartNextOp(client));
    }

    private void GiveUp(SimClient client, ClientOp op)
    {
        client.Op = null;
        Result.OpsUnknown++;
        if (op.CallTime >= livenessFromUnits)
        {
            livenessOps.Add((op.CallTime, long.MaxValue));
        }
        // Unknown outcome: a write may or may not have taken effect; a read constrains nothing.
        if (op.Kind != OpKind.Get)
        {
            foreach (var key in op.Keys)
            {
                historyByKey[key].Add(new KeyOp(client.Id, op.CallTime, long.MaxValue,
                    op.Kind == OpKind.Set ? KeyOpKind.Set : KeyOpKind.Incr, op.Value, null, false));
            }
        }
        Schedule(Now + clientRng.Next(config.MaxThinkTicks * SimConfig.UnitsPerTick + 1), () => StartNextOp(client));
    }

    // ---------------------------------------------------------------- checkers

    /// <summary>Oracle: one value per slot, whichever replica applies it.</summary>
    private void RecordDecision(SimNode node, DecidedSlot decided)
    {
        if (decidedBySlot.TryGetValue(decided.Slot, out var earlier))
        {
            if (earlier.Id != decided.Batch.Id)
            {
                Violation($"slot {decided.Slot}: r{node.Id} applies {decided.Batch} but {earlier} was decided before");
            }
            return;
        }
        decidedBySlot[decided.Slot] = decided.Batch;
        // Raw batch timestamps may go back (a new leader re-proposes an older leader's value found
        // above a newer one); ExactlyOnceApplier's clock is the max over the applied prefix.
    }

    /// <summary>Oracle: every replica's state machine at the same applied slot is the same (snapshots included).</summary>
    private void RecordState(SimNode node, long slot)
    {
        var state = node.Kv.Describe() + "|clients=" + node.Applier.ClientCount;
        if (stateBySlot.TryGetValue(slot, out var earlier))
        {
            if (earlier != state)
            {
                Violation($"slot {slot}: r{node.Id} holds state {state} but {earlier} was there before");
            }
            return;
        }
        stateBySlot[slot] = state;
    }

    private void Violation(string text)
    {
        Record("VIOLATION " + text);
        if (Result.Violations.Count < 20)
        {
            Result.Violations.Add(text);
        }
    }

    private void CheckEnd()
    {
        for (var key = 0; key < historyByKey.Length; key++)
        {
            var verdict = LinearizabilityChecker.Check(historyByKey[key]);
            if (verdict == LinearizabilityChecker.Verdict.NotLinearizable)
            {
                Violation($"key {key}: history of {historyByKey[key].Count} ops is not linearizable");
            }
            else if (verdict == LinearizabilityChecker.Verdict.GaveUp)
            {
                Result.LinearizabilityGaveUp++;
            }
        }
        var bound = (long)config.LivenessBoundTicks * SimConfig.UnitsPerTick;
        var slow = livenessOps.Where(op => op.ReturnTime - op.CallTime > bound).ToList();
        if (slow.Count > 0)
        {
            var worst = slow.Max(op => op.ReturnTime == long.MaxValue ? long.MaxValue : op.ReturnTime - op.CallTime);
            Violation($"liveness: {slow.Count} of {livenessOps.Count} requests after healing took longer than {config.LivenessBoundTicks} ticks"
                + (worst == long.MaxValue ? " (some never finished)" : $" (worst {worst / SimConfig.UnitsPerTick} ticks)"));
        }
        if (livenessOps.Count == 0)
        {
            Violation("liveness: no request was issued after healing");
        }
        var live = nodes.Where(n => n.Up).ToList();
        var maxApplied = live.Max(n => n.Applier.AppliedSlot);
        foreach (var node in live)
        {
            if (node.Applier.AppliedSlot != maxApplied)
            {
                Violation($"catch-up: r{node.Id} applied {node.Applier.AppliedSlot} of {maxApplied} slots after healing");
            }
        }
        if (config.SnapshotEverySlots > 0)
        {
            // Compaction bounds memory: the floor trails the applied slot by at most one snapshot
            // interval plus the retained slots, and the log holds little more than that.
            var memoryBound = config.SnapshotEverySlots + config.SnapshotRetainSlots + MemorySlackSlots;
            foreach (var node in live)
            {
                var replica = node.Replica!;
                if (replica.AppliedIndex - replica.SnapshotSlot >= config.SnapshotEverySlots + config.SnapshotRetainSlots
                    || replica.LogSlotCount > memoryBound)
                {
                    Violation($"memory: r{node.Id} holds {replica.LogSlotCount} log slots, floor {replica.SnapshotSlot}, applied {replica.AppliedIndex} (bound {memoryBound})");
                }
            }
        }
        foreach (var group in live.GroupBy(n => n.Applier.AppliedSlot))
        {
            if (group.Select(n => n.Kv.Describe()).Distinct().Count() > 1)
            {
                Violation($"replicas at slot {group.Key} hold different states");
            }
        }
    }
}
