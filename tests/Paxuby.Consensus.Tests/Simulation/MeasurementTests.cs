using Paxuby.Consensus;
using Xunit.Abstractions;

namespace Paxuby.Consensus.Tests.Simulation;

/// <summary>
/// Figures of the protocol measured in the simulator on a fault-free network with a fixed one-way
/// delay: messages per committed batch, commit latency in message delays, failover time in ticks.
/// They assert the protocol's shape (one round trip, 2(n-1) messages) with some slack.
/// </summary>
public sealed class MeasurementTests(ITestOutputHelper output)
{
    private const int DelayUnits = 10;

    private static SimConfig Steady(int seed, int replicas, int clients) => new()
    {
        Seed = seed,
        ReplicaCount = replicas,
        ClientCount = clients,
        KeyCount = 4,
        LossRate = 0,
        DuplicateRate = 0,
        MinDelayUnits = DelayUnits,
        MaxDelayUnits = DelayUnits,
        MaxDiskLatencyUnits = 0,
        MeanTicksBetweenFaults = 0,
        ClientHopMaxUnits = 0,
        MaxThinkTicks = 0,
        RandomTargetRate = 0,
    };

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Steady_state_costs_about_2n_minus_2_messages_per_committed_batch(int replicas)
    {
        var sim = new Simulator(Steady(1, replicas, clients: 16));
        sim.Start();
        sim.RunUntil(200 * SimConfig.UnitsPerTick); // elect and warm up
        var messagesBefore = sim.Result.MessagesSent;
        var slotsBefore = sim.DecidedSlotCount;
        var opsBefore = sim.CompletedOps.Count;
        sim.RunUntil(500 * SimConfig.UnitsPerTick);

        var batches = sim.DecidedSlotCount - slotsBefore;
        var perBatch = (double)(sim.Result.MessagesSent - messagesBefore) / batches;
        var ops = sim.CompletedOps.Count - opsBefore;
        output.WriteLine($"R={replicas}: {batches} batches, {ops} client ops in 300 ticks, {perBatch:F2} messages per committed batch "
            + $"(Accept+Accepted = {2 * (replicas - 1)}), by type: {string.Join(", ", sim.MessagesByType.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}"))}");
        Assert.True(batches > 100);
        Assert.InRange(perBatch, 2 * (replicas - 1) * 0.95, 2 * (replicas - 1) * 1.25); // window edges blur it slightly
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Steady_state_write_commits_in_one_round_trip(int replicas)
    {
        var sim = new Simulator(Steady(2, replicas, clients: 1));
        sim.Start();
        sim.RunUntil(200 * SimConfig.UnitsPerTick);
        var from = sim.CompletedOps.Count;
        sim.RunUntil(400 * SimConfig.UnitsPerTick);

        // Client hops are 1 unit each way; the rest is replica-to-replica message delays.
        var delays = sim.CompletedOps.Skip(from).Where(op => op.Write)
            .Select(op => (double)(op.Return - op.Call - 2) / DelayUnits).ToList();
        output.WriteLine($"R={replicas}: {delays.Count} writes, commit latency min/median/max = "
            + $"{delays.Min():F1}/{delays.Order().ElementAt(delays.Count / 2):F1}/{delays.Max():F1} message delays");
        Assert.True(delays.Count > 50);
        Assert.Equal(2.0, delays.Order().ElementAt(delays.Count / 2)); // Accept + Accepted
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Failover_after_the_leader_crashes_takes_a_bounded_number_of_ticks(int replicas)
    {
        var elected = new List<double>();
        var served = new List<double>();
        for (var seed = 1; seed <= 10; seed++)
        {
            var sim = new Simulator(Steady(seed, replicas, clients: 3));
            sim.Start();
            sim.RunUntil(200 * SimConfig.UnitsPerTick);
            var leader = sim.CurrentLeader();
            Assert.True(leader >= 0);
            var crashAt = sim.Now;
            sim.CrashReplica(leader);
            sim.RunUntil(crashAt + 300 * SimConfig.UnitsPerTick);

            var election = sim.LeaderElections.First(e => e.Time > crashAt);
            var firstWrite = sim.CompletedOps.Where(op => op.Write && op.Call > crashAt).Min(op => op.Return);
            elected.Add((double)(election.Time - crashAt) / SimConfig.UnitsPerTick);
            served.Add((double)(firstWrite - crashAt) / SimConfig.UnitsPerTick);
        }
        output.WriteLine($"R={replicas}: leader crash -> new leader in {elected.Average():F1} ticks avg, {elected.Max():F1} max; "
            + $"-> first new write acknowledged in {served.Average():F1} avg, {served.Max():F1} max (T=20, L=16, 10 seeds)");
        // Followers wait out the lease (L) and their timeout in [T, 2T): at most 2T plus a few round trips.
        Assert.True(elected.Max() <= 2 * 20 + 5);
    }
}
