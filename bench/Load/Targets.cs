namespace Paxuby.Bench.Load;

/// <summary>One latency promise, checked against one workload's figures. Reported, never enforced.</summary>
internal sealed record Target(string Name, string Workload, string Percentile, double LimitMs, bool Inclusive)
{
    /// <summary>The seed's promise (every workload) and the stricter goals for writes.</summary>
    public static IReadOnlyList<Target> ForWorkload(string workload)
    {
        var targets = new List<Target>
        {
            new("seed", workload, "p50", 10, false),
            new("seed", workload, "p90", 15, false),
            new("seed", workload, "p99", 20, false),
        };
        if (workload == "SET 1 client")
        {
            targets.Add(new("strict", workload, "p50", 1, true));
            targets.Add(new("strict", workload, "p99", 3, true));
        }
        if (workload == "SET 50 clients") targets.Add(new("strict", workload, "p99", 10, true));
        return targets;
    }

    public string Condition => $"{Percentile} {(Inclusive ? "≤" : "<")} {LimitMs:0.##} ms";

    public double MeasuredMs(WorkloadResult result) => Percentile switch
    {
        "p50" => result.P50Us,
        "p90" => result.P90Us,
        _ => result.P99Us,
    } / 1000.0;

    public bool Met(WorkloadResult result)
    {
        if (result.Operations == 0) return false;
        double measured = MeasuredMs(result);
        return Inclusive ? measured <= LimitMs : measured < LimitMs;
    }

    /// <summary>✓ when every target of that name holds, ✗ when one fails, – when none applies.</summary>
    public static string Mark(WorkloadResult result, string name)
    {
        List<Target> applicable = ForWorkload(result.Workload).Where(t => t.Name == name).ToList();
        if (applicable.Count == 0) return "–";
        return applicable.All(t => t.Met(result)) ? "✓" : "✗";
    }
}
