using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace Paxuby.Storage.Tests;

/// <summary>
/// Seeded crash runs on the simulated device (see <see cref="CrashRun"/>). A failure prints the
/// seed; <c>PAXUBY_CRASH_SEEDS=n</c> runs n seeds instead of the default.
/// </summary>
public class CrashConsistencyTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 2000;

    /// <summary>Seeds the broken compaction may take before the checker must have caught it.</summary>
    private const int BrokenVariantSearchSeeds = 500;

    [Fact]
    public void Thousands_of_seeded_crash_runs_recover_everything_synced()
    {
        var count = Environment.GetEnvironmentVariable("PAXUBY_CRASH_SEEDS") is { } n ? int.Parse(n) : DefaultSeeds;
        var failures = new ConcurrentBag<(int Seed, string Problem)>();
        var seen = new ConcurrentDictionary<string, int>();
        Parallel.For(1, count + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            if (CrashRun.Run(CrashRunConfig.FromSeed(seed), what => seen.AddOrUpdate(what, 1, (_, n) => n + 1)) is { } problem)
            {
                failures.Add((seed, problem));
            }
        });
        output.WriteLine($"{count} seeds, {failures.Count} failed; {string.Join(", ", seen.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}"))}");
        // Every kind of step must have been cut short by a crash, and every kind of repair done, many times.
        string[] expected = ["crash in append", "crash in sync", "crash in snapshot", "crash in compact", "tail truncated", "flipped bit cut off", "incomplete compaction removed"];
        Assert.All(expected, what => Assert.True(seen.GetValueOrDefault(what) >= 20, $"{what}: only {seen.GetValueOrDefault(what)} times"));
        var first = failures.OrderBy(f => f.Seed).FirstOrDefault();
        Assert.True(failures.IsEmpty, $"{failures.Count} of {count} seeds failed; lowest: {first.Problem}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void A_crash_at_every_write_and_sync_of_a_run_recovers_everything_synced(double torn)
    {
        var config = CrashRunConfig.FromSeed(7) with { TornWriteProbability = torn, BitFlipProbability = 0, StepsPerCycle = 60 };
        Assert.Null(CrashRun.RunOneCycle(config, long.MaxValue, out var operations));
        output.WriteLine($"{operations} writes and syncs in the run");
        Assert.True(operations > 50, $"only {operations} operations");

        for (var crashPoint = 0; crashPoint <= operations; crashPoint++)
        {
            Assert.Null(CrashRun.RunOneCycle(config, crashPoint, out _));
        }
    }

    [Fact]
    public void Broken_compaction_that_deletes_before_syncing_is_caught_within_bounded_seed_search()
    {
        string? caught = null;
        for (var seed = 1; seed <= BrokenVariantSearchSeeds && caught is null; seed++)
        {
            var config = CrashRunConfig.FromSeed(seed) with { BrokenCompaction = true };
            caught = CrashRun.Run(config);
        }

        Assert.NotNull(caught);
        output.WriteLine($"caught: {caught}");
    }
}
