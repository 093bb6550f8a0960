namespace Paxuby.Consensus;

/// <summary>Configuration of one replica. Time is in ticks (calls to <see cref="Replica.Tick"/>).</summary>
public sealed class ReplicaOptions
{
    /// <summary>Largest replica id: ids index 64-bit vote masks.</summary>
    public const int MaxReplicaId = 63;

    public required int ReplicaId { get; init; }

    /// <summary>Every replica of the cluster, this one included.</summary>
    public required IReadOnlyList<int> ReplicaIds { get; init; }

    /// <summary>A follower campaigns after a random silence in [T, 2T) ticks.</summary>
    public int ElectionTimeoutTicks { get; init; } = 20;

    /// <summary>
    /// A leader that has heard from no majority for this many ticks steps down, so its clients go
    /// elsewhere (leases, not this, keep its reads safe); 0 means <see cref="ElectionTimeoutTicks"/>.
    /// Longer on a loaded machine, so a leader whose followers stall briefly keeps its place.
    /// </summary>
    public int LeaderStepDownTicks { get; init; }

    internal int StepDownTicks => LeaderStepDownTicks > 0 ? LeaderStepDownTicks : ElectionTimeoutTicks;

    /// <summary>The leader sends a heartbeat to a peer it has sent nothing to for this long.</summary>
    public int HeartbeatIntervalTicks { get; init; } = 3;

    /// <summary>An acceptor's reply promises no other leader for this many of its own ticks.</summary>
    public int LeaseTicks { get; init; } = 16;

    /// <summary>
    /// How many ticks the leader knocks off each lease for clock-rate drift between replicas
    /// and tick granularity; must exceed the worst disagreement over <see cref="LeaseTicks"/>.
    /// </summary>
    public int LeaseDriftTicks { get; init; } = 3;

    /// <summary>The leader resends an Accept that still lacks a majority after this many ticks.</summary>
    public int ResendTicks { get; init; } = 4;

    /// <summary>Slots proposed but not yet committed, at most.</summary>
    public int WindowSlots { get; init; } = 8;

    public int MaxBatchCommands { get; init; } = 256;

    public int MaxBatchBytes { get; init; } = 256 * 1024;

    /// <summary>Back-pressure: Propose answers Busy beyond these.</summary>
    public int MaxPendingCommands { get; init; } = 4096;

    public long MaxPendingBytes { get; init; } = 8L * 1024 * 1024;

    public int MaxPendingReads { get; init; } = 4096;

    /// <summary>Decided entries per CatchUp message.</summary>
    public int MaxCatchUpEntries { get; init; } = 64;

    /// <summary>
    /// A leader lists a peer that needs compacted slots in <see cref="Ready.SnapshotsToSend"/> at
    /// most once per this many ticks (the transfer itself is the driver's).
    /// </summary>
    public int SnapshotResendTicks { get; init; } = 20;

    /// <summary>Decided slots handed out per Ready.</summary>
    public int MaxDecidedPerReady { get; init; } = 1024;

    internal TestFaults Faults { get; init; } = TestFaults.None;

    public int Majority => ReplicaIds.Count / 2 + 1;

    public void Validate()
    {
        Invariant.Require(ReplicaIds.Count >= 1, "at least one replica");
        Invariant.Require(ReplicaIds.Distinct().Count() == ReplicaIds.Count, "replica ids are distinct");
        Invariant.Require(ReplicaIds.All(id => id is >= 0 and <= MaxReplicaId), "replica ids are in [0, 63]");
        Invariant.Require(ReplicaIds.Contains(ReplicaId), "ReplicaIds contains ReplicaId");
        Invariant.Require(HeartbeatIntervalTicks >= 1, "HeartbeatIntervalTicks >= 1");
        Invariant.Require(LeaseDriftTicks >= 0, "LeaseDriftTicks >= 0");
        Invariant.Require(LeaseTicks > LeaseDriftTicks + HeartbeatIntervalTicks,
            "LeaseTicks > LeaseDriftTicks + HeartbeatIntervalTicks (else leases never overlap)");
        // A follower's election timer starts no earlier than the last lease it granted, so a
        // timeout at least as long as the lease means it never waits on its own lease.
        Invariant.Require(ElectionTimeoutTicks >= LeaseTicks, "ElectionTimeoutTicks >= LeaseTicks");
        Invariant.Require(ResendTicks >= 1, "ResendTicks >= 1");
        Invariant.Require(SnapshotResendTicks >= 1, "SnapshotResendTicks >= 1");
        Invariant.Require(WindowSlots >= 1, "WindowSlots >= 1");
        Invariant.Require(MaxBatchCommands >= 1 && MaxBatchBytes >= 1, "batch limits >= 1");
        Invariant.Require(MaxPendingCommands >= 1 && MaxPendingBytes >= 1 && MaxPendingReads >= 1, "queue limits >= 1");
        Invariant.Require(MaxCatchUpEntries >= 1 && MaxDecidedPerReady >= 1, "per-message limits >= 1");
    }
}
