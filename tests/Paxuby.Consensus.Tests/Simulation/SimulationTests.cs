using Paxuby.Consensus;
using Xunit.Abstractions;

namespace Paxuby.Consensus.Tests.Simulation;

/// <summary>
/// The simulation swarm. <c>PAXUBY_SEED=n</c> replays exactly one seed; <c>PAXUBY_SOAK_SEEDS=n</c>
/// runs a soak of n further seeds (the soak test does nothing without it); <c>PAXUBY_DURABILITY=wal</c>
/// (or <c>memory</c>) makes every seed of the swarm or the soak use the real write-ahead log (or the
/// in-memory state) instead of letting each seed choose.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    /// <summary>Seeds the CI swarm runs (R=3 and R=5 mixed, chosen by the seed).</summary>
    private const int SwarmSeeds = 48;

    private const int SoakFirstSeed = 1_000_000;

    /// <summary>Seeds a broken variant may take before the checkers must have caught it.</summary>
    private const int BrokenVariantSearchSeeds = 100;

    /// <summary>
    /// The driver sends a Ready's messages before syncing its records (real log): a crash in between
    /// loses a promise or an accepted value that a candidate or a leader already counted.
    /// </summary>
    [Fact]
    public void Broken_driver_sending_before_sync_is_caught_by_the_real_log_within_bounded_seed_search()
    {
        SimConfig Broken(int seed) => SimConfig.FromSeed(seed) with
        {
            Durability = Durability.WriteAheadLog,
            BrokenSendBeforeSync = true,
            CrashAfterPromiseRate = 0.3,
            MaxDiskLatencyUnits = Math.Max(20, SimConfig.FromSeed(seed).MaxDiskLatencyUnits),
        };
        if (Environment.GetEnvironmentVariable("PAXUBY_VARIANT_STATS") is not null)
        {
            var all = RunSeeds(Enumerable.Range(1, BrokenVariantSearchSeeds).ToArray(), Broken);
            output.WriteLine($"send-before-sync: caught by {all.Count(r => !r.Ok)} of {all.Length} seeds");
            // Control: the same configurations with the correct driver fail nowhere.
            var control = RunSeeds(Enumerable.Range(1, BrokenVariantSearchSeeds).ToArray(), seed => Broken(seed) with { BrokenSendBeforeSync = false });
            output.WriteLine($"send-before-sync control (sync first): {control.Count(r => !r.Ok)} of {control.Length} seeds fail");
            foreach (var failure in control.Where(r => !r.Ok))
            {
                output.WriteLine(failure.Describe());
            }
        }
        var caught = SearchLowestFailingSeed(Broken);
        Assert.True(caught is not null, $"send-before-sync: no checker failed within {BrokenVariantSearchSeeds} seeds");
        output.WriteLine($"send-before-sync: caught at seed {caught.Config.Seed} (bound {BrokenVariantSearchSeeds}): {caught.Violations[0]}");
    }

    [Fact]
    public void Swarm_faults_then_heal_no_violation_across_seeds_R3_R5()
    {
        var replay = Environment.GetEnvironmentVariable("PAXUBY_SEED");
        var seeds = replay is null ? Enumerable.Range(1, SwarmSeeds).ToArray() : [int.Parse(replay)];
        var durability = DurabilityFromEnvironment();
        var strict = Environment.GetEnvironmentVariable("PAXUBY_STRICT_RECOVERY") is "1";
        var results = RunSeeds(seeds, seed => SimConfig.FromSeed(seed, durability: durability) with { StrictRecovery = strict });
        Report(results);
        var failed = results.FirstOrDefault(r => !r.Ok);
        Assert.True(failed is null, failed?.Describe());
    }

    [Fact]
    public void Soak_when_PAXUBY_SOAK_SEEDS_is_set()
    {
        var count = Environment.GetEnvironmentVariable("PAXUBY_SOAK_SEEDS");
        if (count is null)
        {
            output.WriteLine("PAXUBY_SOAK_SEEDS not set: soak skipped");
            return;
        }
        var first = Environment.GetEnvironmentVariable("PAXUBY_SOAK_FIRST_SEED") is { } f ? int.Parse(f) : SoakFirstSeed;
        var seeds = Enumerable.Range(first, int.Parse(count)).ToArray();
        var durability = DurabilityFromEnvironment();
        var strict = Environment.GetEnvironmentVariable("PAXUBY_STRICT_RECOVERY") is "1";
        var results = RunSeeds(seeds, seed => SimConfig.FromSeed(seed, durability: durability) with { StrictRecovery = strict });
        Report(results);
        var failed = results.Where(r => !r.Ok).ToList();
        foreach (var failure in failed)
        {
            output.WriteLine($"FAILED seed {failure.Config.Seed}: {failure.Violations[0]}");
        }
        Assert.True(failed.Count == 0, $"{failed.Count} failing seeds; first:\n{failed.FirstOrDefault()?.Describe()}");
    }

    public static TheoryData<string> BrokenVariants => new()
    {
        nameof(TestFaults.CommitOnMinority),
        nameof(TestFaults.ForgetDurableStateOnRestart),
        nameof(TestFaults.ForgetPromiseOnRestart),
        nameof(TestFaults.ReadWithoutLease),
        nameof(TestFaults.SkipNoOpFillAndOwnBallotCommit),
        nameof(TestFaults.PromiseDespiteSnapshotFloor),
    };

    [Theory]
    [MemberData(nameof(BrokenVariants))]
    public void Broken_variant_is_caught_within_bounded_seed_search(string variant)
    {
        var faults = variant switch
        {
            nameof(TestFaults.CommitOnMinority) => new TestFaults { CommitOnMinority = true },
            nameof(TestFaults.ForgetDurableStateOnRestart) => new TestFaults { ForgetDurableStateOnRestart = true },
            nameof(TestFaults.ForgetPromiseOnRestart) => new TestFaults { ForgetPromiseOnRestart = true },
            nameof(TestFaults.ReadWithoutLease) => new TestFaults { ReadWithoutLease = true },
            nameof(TestFaults.SkipNoOpFillAndOwnBallotCommit) => new TestFaults { SkipNoOpFillAndOwnBallotCommit = true },
            nameof(TestFaults.PromiseDespiteSnapshotFloor) => new TestFaults { PromiseDespiteSnapshotFloor = true },
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        if (Environment.GetEnvironmentVariable("PAXUBY_VARIANT_STATS") is not null)
        {
            // Diagnostic: how many of the searched seeds catch the variant (runs them all).
            var all = RunSeeds(Enumerable.Range(1, BrokenVariantSearchSeeds).ToArray(), seed => SimConfig.FromSeed(seed, faults));
            output.WriteLine($"{variant}: caught by {all.Count(r => !r.Ok)} of {all.Length} seeds");
        }
        var caught = SearchLowestFailingSeed(seed => SimConfig.FromSeed(seed, faults));
        Assert.True(caught is not null, $"{variant}: no checker failed within {BrokenVariantSearchSeeds} seeds");
        output.WriteLine($"{variant}: caught at seed {caught.Config.Seed} (bound {BrokenVariantSearchSeeds}): {caught.Violations[0]}");
    }

    /// <summary>Searches seeds 1..bound in parallel but returns the lowest failing one, so the outcome is deterministic.</summary>
    private static SimResult? SearchLowestFailingSeed(Func<int, SimConfig> configFor)
    {
        var results = new SimResult?[BrokenVariantSearchSeeds + 1];
        var loop = Parallel.For(1, BrokenVariantSearchSeeds + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            (seed, state) =>
            {
                var result = Simulator.Run(configFor(seed));
                results[seed] = result;
                if (!result.Ok)
                {
                    state.Break();
                }
            });
        return loop.LowestBreakIteration is { } lowest ? results[(int)lowest] : null;
    }

    /// <summary><c>PAXUBY_DURABILITY</c>: wal or memory forces the mode for every seed; unset or mixed lets each seed choose.</summary>
    private static Durability? DurabilityFromEnvironment() => Environment.GetEnvironmentVariable("PAXUBY_DURABILITY") switch
    {
        null or "" or "mixed" => null,
        "wal" => Durability.WriteAheadLog,
        "memory" => Durability.InMemory,
        var other => throw new ArgumentException($"PAXUBY_DURABILITY={other}: use wal, memory or mixed"),
    };

    private static SimResult[] RunSeeds(int[] seeds, Func<int, SimConfig> configFor)
    {
        var results = new SimResult[seeds.Length];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = Simulator.Run(configFor(seeds[i])));
        return results;
    }

    private void Report(SimResult[] results)
    {
        output.WriteLine(
            $"seeds={results.Length} (R3={results.Count(r => r.Config.ReplicaCount == 3)}, R5={results.Count(r => r.Config.ReplicaCount == 5)}) "
            + $"ticks={results.Sum(r => r.TicksSimulated)} faults={results.Sum(r => r.FaultsInjected)} "
            + $"(crashes={results.Sum(r => r.Crashes)} pauses={results.Sum(r => r.Pauses)} partitions={results.Sum(r => r.Partitions)} oneWayLinks={results.Sum(r => r.LinkFailures)}) "
            + $"messages={results.Sum(r => r.MessagesSent)} dropped={results.Sum(r => r.MessagesDropped)} duplicated={results.Sum(r => r.MessagesDuplicated)} "
            + $"ops={results.Sum(r => r.OpsCompleted)} unknownOutcome={results.Sum(r => r.OpsUnknown)} slots={results.Sum(r => r.SlotsDecided)} "
            + $"leaderChanges={results.Sum(r => r.LeaderChanges)} linearizabilityGaveUp={results.Sum(r => r.LinearizabilityGaveUp)} "
            + $"compacting={results.Count(r => r.Config.SnapshotEverySlots > 0)} outages={results.Count(r => r.Config.OutageReplica >= 0)} "
            + $"snapshots(taken={results.Sum(r => r.SnapshotsTaken)} sent={results.Sum(r => r.SnapshotsSent)} installed={results.Sum(r => r.SnapshotsInstalled)} "
            + $"restoredOnRestart={results.Sum(r => r.SnapshotsRestoredOnRestart)} crashesMidInstall={results.Sum(r => r.CrashesMidInstall)}) "
            + $"realLog={results.Count(r => r.Config.Durability == Durability.WriteAheadLog)}(recoveries={results.Sum(r => r.LogRecoveries)} "
            + $"storageCrashes={results.Sum(r => r.StorageCrashes)} tornTails={results.Sum(r => r.TornTailsTruncated)} bitFlips={results.Sum(r => r.BitFlips)} "
            + $"unsyncedBytesLost={results.Sum(r => r.UnsyncedBytesLost)} middleCorruptionInUnsyncedTail={results.Sum(r => r.MiddleCorruptionInUnsyncedTail)}) "
            + $"violations={results.Count(r => !r.Ok)}");
        var misreported = results.Where(r => r.MiddleCorruptionInUnsyncedTail > 0).Select(r => r.Config.Seed).Take(10).ToList();
        if (misreported.Count > 0)
        {
            output.WriteLine($"seeds where recovery reported a damaged unsynced tail as middle corruption (worked around): {string.Join(", ", misreported)}");
        }
    }
}
