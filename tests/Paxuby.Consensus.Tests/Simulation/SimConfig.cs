using Paxuby.Consensus;

namespace Paxuby.Consensus.Tests.Simulation;

/// <summary>
/// Everything one simulation run does, derived from its seed: cluster size, fault probabilities,
/// network shape. Time is in units; a nominal tick is <see cref="UnitsPerTick"/> units.
/// </summary>
internal sealed record SimConfig
{
    public const int UnitsPerTick = 100;

    public required int Seed { get; init; }
    public required int ReplicaCount { get; init; }
    public int ClientCount { get; init; } = 4;
    public int KeyCount { get; init; } = 3;

    /// <summary>Ticks with faults on; then a majority is healed and faults stop.</summary>
    public int SafetyTicks { get; init; } = 1000;

    /// <summary>Ticks after healing before the liveness bound is enforced (elections, catch-up).</summary>
    public int StabilizeTicks { get; init; } = 150;

    /// <summary>Ticks during which healed-cluster requests are issued and must each finish within <see cref="LivenessBoundTicks"/>.</summary>
    public int LivenessTicks { get; init; } = 250;

    public int LivenessBoundTicks { get; init; } = 120;

    public double LossRate { get; init; }
    public double DuplicateRate { get; init; }
    public int MinDelayUnits { get; init; } = 5;
    public int MaxDelayUnits { get; init; } = 60;
    public int MaxDiskLatencyUnits { get; init; } = 30;

    /// <summary>Mean ticks between injected faults (crash, pause, partition, one-way link) in the safety phase; 0 = none.</summary>
    public int MeanTicksBetweenFaults { get; init; } = 40;

    /// <summary>Per-replica tick period spread in units (±), i.e. clock-rate drift in percent.</summary>
    public int ClockDriftUnits { get; init; } = 2;

    /// <summary>
    /// Rare-path focus (BUGGIFY): chance that a replica crashes right after sending a Promise and
    /// comes back soon, which is where a promise that did not survive the crash would show.
    /// </summary>
    public double CrashAfterPromiseRate { get; init; }

    /// <summary>How many replicas stay down after healing (a majority always remains).</summary>
    public int LeftDownAfterHeal { get; init; }

    /// <summary>Proposal window and batch size of every replica.</summary>
    public int WindowSlots { get; init; } = 4;

    public int MaxBatchCommands { get; init; } = 16;

    public int ClientAttemptTimeoutTicks { get; init; } = 25;
    public int ClientGiveUpTicks { get; init; } = 150;
    public int MaxThinkTicks { get; init; } = 3;

    /// <summary>Chance that a client sends a new request to a random replica instead of the leader it knows.</summary>
    public double RandomTargetRate { get; init; } = 1.0 / 3;

    /// <summary>Client-to-replica hop is 1 + [0, this] units.</summary>
    public int ClientHopMaxUnits { get; init; } = 10;

    /// <summary>
    /// A replica snapshots its state machine every this many applied slots (0: never) and then
    /// compacts its log on disk through the snapshot's slot, and in memory through the snapshot's
    /// slot minus <see cref="SnapshotRetainSlots"/>.
    /// </summary>
    public int SnapshotEverySlots { get; init; }

    /// <summary>Slots below its newest snapshot that a replica keeps in memory for catch-up.</summary>
    public int SnapshotRetainSlots { get; init; }

    /// <summary>
    /// One long outage in the safety phase (-1: none): this replica is crashed (or, with
    /// <see cref="OutageIsolates"/>, cut off from every peer) from <see cref="OutageStartTick"/> for
    /// <see cref="OutageTicks"/>, while the others commit and compact far past it; then it rejoins.
    /// </summary>
    public int OutageReplica { get; init; } = -1;

    public int OutageStartTick { get; init; }
    public int OutageTicks { get; init; }
    public bool OutageIsolates { get; init; }

    /// <summary>
    /// Crash/restart while the rejoined replica catches up: it crashes again this many ticks after
    /// rejoining, and the leader of that moment a few ticks later (0: no such crashes).
    /// </summary>
    public int RecrashAfterRejoinTicks { get; init; }

    /// <summary>
    /// Rare-path focus: chance that a replica installing a snapshot crashes after the snapshot is
    /// durable but before its log records the compaction (recovery must reconcile the two).
    /// </summary>
    public double CrashMidInstallRate { get; init; }

    /// <summary>
    /// Where a replica's durable state lives: <see cref="Durability.InMemory"/> keeps a
    /// <see cref="DurableState"/> that survives a crash exactly; <see cref="Durability.WriteAheadLog"/>
    /// runs the real <c>WriteAheadLog</c> and <c>SnapshotStore</c> on one <c>SimulatedDevice</c> per
    /// replica (unsynced writes lost or torn on a crash).
    /// </summary>
    public Durability Durability { get; init; } = Durability.InMemory;

    /// <summary>With the real log: chance that a crash flips a bit in the torn, unsynced tail it keeps.</summary>
    public double DiskBitFlipRate { get; init; }

    /// <summary>With the real log: segment size, small enough that segments roll during a run.</summary>
    public int LogSegmentBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Rare-path focus with the real log: chance that a replica crashes right after appending a
    /// Ready's records and before syncing them, and (separately) at a random write or sync of a
    /// snapshot commit or a log compaction, or between the two.
    /// </summary>
    public double CrashInStorageRate { get; init; }

    /// <summary>
    /// Deliberately broken driver, for tests only (real log): a Ready's messages go out before its
    /// records are synced, so a crash can lose a promise or an accepted value a peer has counted.
    /// </summary>
    public bool BrokenSendBeforeSync { get; init; }

    /// <summary>
    /// Real log: a MiddleCorruption report inside the tail the last crash damaged is a violation
    /// too, instead of being cut off and counted (<c>PAXUBY_STRICT_RECOVERY=1</c>; see the README).
    /// </summary>
    public bool StrictRecovery { get; init; }

    internal TestFaults Faults { get; init; } = TestFaults.None;

    public Func<int, ReplicaOptions>? OptionsOverride { get; init; }

    /// <param name="durability">Forces the durability mode (the soak's <c>PAXUBY_DURABILITY</c>); null lets the seed choose.</param>
    public static SimConfig FromSeed(int seed, TestFaults? faults = null, Durability? durability = null)
    {
        var rng = new Random(seed);
        var replicaCount = rng.Next(3) == 0 ? 5 : 3;
        var slowNetwork = rng.Next(4) == 0;
        var lossyNetwork = rng.Next(5) == 0;
        return new SimConfig
        {
            Seed = seed,
            ReplicaCount = replicaCount,
            ClientCount = 3 + rng.Next(3),
            KeyCount = 2 + rng.Next(3),
            LossRate = rng.NextDouble() * (lossyNetwork ? 0.25 : 0.08),
            DuplicateRate = rng.NextDouble() * 0.04,
            MinDelayUnits = 2 + rng.Next(10),
            MaxDelayUnits = slowNetwork ? 150 + rng.Next(250) : 20 + rng.Next(60),
            MaxDiskLatencyUnits = rng.Next(50),
            MeanTicksBetweenFaults = 15 + rng.Next(60),
            LeftDownAfterHeal = rng.Next(3) == 0 ? rng.Next(1, (replicaCount - 1) / 2 + 1) : 0,
            CrashAfterPromiseRate = rng.Next(2) == 0 ? 0.3 : 0,
            WindowSlots = 1 + rng.Next(8),
            MaxBatchCommands = 1 + rng.Next(32),
            Faults = faults ?? TestFaults.None,
        }.WithCompaction(rng, durability);
    }

    /// <summary>Compaction and a long outage for most seeds (drawn after the rest, so older draws stay put).</summary>
    private SimConfig WithCompaction(Random rng, Durability? durability)
    {
        var compaction = rng.Next(8) != 0;
        var outage = rng.Next(3) != 0;
        var retain = rng.Next(3) == 0 ? 0 : rng.Next(1, 24);
        var outageReplica = rng.Next(ReplicaCount);
        var compacted = this with
        {
            SnapshotEverySlots = compaction ? 10 + rng.Next(41) : 0,
            SnapshotRetainSlots = retain,
            OutageReplica = compaction && outage ? outageReplica : -1,
            OutageStartTick = 50 + rng.Next(250),
            OutageTicks = 250 + rng.Next(400),
            OutageIsolates = rng.Next(2) == 0,
            RecrashAfterRejoinTicks = rng.Next(2) == 0 ? 1 + rng.Next(15) : 0,
            CrashMidInstallRate = rng.Next(2) == 0 ? 0.25 : 0,
        };
        return compacted.WithStorage(rng, durability);
    }

    /// <summary>The real log for half the seeds (drawn last, so older draws stay put).</summary>
    private SimConfig WithStorage(Random rng, Durability? durability)
    {
        var realLog = rng.Next(2) == 0;
        realLog = durability is { } forced ? forced == Durability.WriteAheadLog : realLog;
        var bitFlips = rng.Next(2) == 0;
        var segmentBytes = 512 << rng.Next(8);
        var storageCrashes = rng.Next(3) != 0;
        return realLog
            ? this with
            {
                Durability = Durability.WriteAheadLog,
                DiskBitFlipRate = bitFlips ? 0.5 : 0,
                LogSegmentBytes = segmentBytes,
                CrashInStorageRate = storageCrashes ? 0.05 : 0,
            }
            : this;
    }

    public ReplicaOptions OptionsFor(int replicaId) =>
        OptionsOverride?.Invoke(replicaId) ?? new ReplicaOptions
        {
            ReplicaId = replicaId,
            ReplicaIds = Enumerable.Range(0, ReplicaCount).ToArray(),
            WindowSlots = WindowSlots,
            MaxBatchCommands = MaxBatchCommands,
            Faults = Faults,
        };

    public override string ToString() =>
        $"seed={Seed} replicas={ReplicaCount} clients={ClientCount} keys={KeyCount} loss={LossRate:F3} dup={DuplicateRate:F3} "
        + $"delay=[{MinDelayUnits},{MaxDelayUnits}]u disk<={MaxDiskLatencyUnits}u faultEvery~{MeanTicksBetweenFaults}t "
        + $"crashAfterPromise={CrashAfterPromiseRate} window={WindowSlots} batch<={MaxBatchCommands} leftDown={LeftDownAfterHeal} "
        + $"snapshotEvery={SnapshotEverySlots} retain={SnapshotRetainSlots} "
        + (OutageReplica < 0 ? "outage=none" : $"outage=r{OutageReplica}@{OutageStartTick}+{OutageTicks}t{(OutageIsolates ? " isolated" : " crashed")} recrash={RecrashAfterRejoinTicks}")
        + $" crashMidInstall={CrashMidInstallRate}"
        + (Durability == Durability.WriteAheadLog
            ? $" durability=wal segment={LogSegmentBytes}B bitFlip={DiskBitFlipRate} crashInStorage={CrashInStorageRate}{(BrokenSendBeforeSync ? " BROKEN-send-before-sync" : "")}"
            : " durability=memory");
}

/// <summary>Where the simulator keeps a replica's durable state (see <see cref="SimConfig.Durability"/>).</summary>
internal enum Durability : byte
{
    InMemory,
    WriteAheadLog,
}
