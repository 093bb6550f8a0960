using Xunit.Abstractions;

namespace Paxuby.Consensus.Tests.Simulation;

/// <summary>
/// Scripted compaction scenarios on top of the swarm's random ones: one replica is away for a long
/// time while the others commit and compact far past it, then it rejoins and must catch up through a
/// snapshot, sometimes crashing again (and the leader with it) while it does. Every checker of the
/// swarm runs; these add that the snapshot path was really taken.
/// </summary>
public sealed class CompactionScenarioTests(ITestOutputHelper output)
{
    private static SimConfig Scenario(int seed, int replicas, bool isolates, int retainSlots, int recrashTicks, int faultEveryTicks) => new()
    {
        Seed = seed,
        ReplicaCount = replicas,
        ClientCount = 4,
        KeyCount = 3,
        LossRate = 0.02,
        DuplicateRate = 0.01,
        MaxDelayUnits = 60,
        MeanTicksBetweenFaults = faultEveryTicks,
        SnapshotEverySlots = 20,
        SnapshotRetainSlots = retainSlots,
        OutageReplica = replicas - 1,
        OutageStartTick = 100,
        OutageTicks = 600,
        OutageIsolates = isolates,
        RecrashAfterRejoinTicks = recrashTicks,
    };

    [Theory]
    [InlineData(1, 3, false, 0, 0, 0)]   // R=3, crashed 600 ticks, compacts through every snapshot
    [InlineData(2, 3, true, 10, 0, 0)]   // R=3, isolated 600 ticks, keeps 10 slots below each snapshot
    [InlineData(3, 5, false, 5, 0, 0)]   // R=5, crashed
    [InlineData(4, 3, false, 0, 2, 0)]   // R=3, crashed; crashes again 2 ticks after rejoining, then the leader
    [InlineData(5, 5, true, 0, 4, 0)]    // R=5, isolated; crash/restart of it and of the leader during catch-up
    [InlineData(6, 3, true, 3, 3, 60)]   // R=3, isolated, with the swarm's random faults on top
    public void Replica_away_for_600_ticks_while_others_compact_rejoins_through_a_snapshot(
        int seed, int replicas, bool isolates, int retainSlots, int recrashTicks, int faultEveryTicks)
    {
        var result = Simulator.Run(Scenario(seed, replicas, isolates, retainSlots, recrashTicks, faultEveryTicks));

        output.WriteLine($"{result.Config}\nslots={result.SlotsDecided} floorLead={result.OutageFloorLeadSlots} "
            + $"snapshots(taken={result.SnapshotsTaken} sent={result.SnapshotsSent} installed={result.SnapshotsInstalled} "
            + $"byRejoined={result.OutageReplicaInstalls} restoredOnRestart={result.SnapshotsRestoredOnRestart}) crashes={result.Crashes}");
        Assert.True(result.Ok, result.Describe());
        Assert.True(result.OutageFloorLeadSlots > 100, $"the others compacted only {result.OutageFloorLeadSlots} slots past the away replica");
        Assert.True(result.OutageReplicaInstalls >= 1, "the rejoined replica never installed a snapshot");
    }
}
