using System.Globalization;
using System.Text;

namespace Paxuby.Bench.Load;

/// <summary>
/// The figures as text: one row per workload and server, the targets, and the Paxuby/other
/// ratios. <paramref name="markdown"/> chooses Markdown tables over aligned console columns.
/// </summary>
internal static class ResultTables
{
    private static readonly string[] FigureColumns =
        ["workload", "server", "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "seed", "strict", "server CPU µs/op", "bench CPU µs/op", "cores busy", "server GC pauses"];

    public static string Figures(IReadOnlyList<WorkloadResult> results, string paxubyName, bool markdown)
    {
        var rows = results.Select(r => new[]
        {
            r.Workload, r.Server, Number(r.OpsPerSecond), Ms(r.P50Us), Ms(r.P90Us), Ms(r.P99Us), Ms(r.P999Us), Ms(r.MaxUs),
            r.FailedClients > 0 ? $"{r.Errors} ({r.FailedClients} clients failed)" : r.Errors.ToString(CultureInfo.InvariantCulture),
            r.Server == paxubyName ? Target.Mark(r, "seed") : "",
            r.Server == paxubyName ? Target.Mark(r, "strict") : "",
            Cpu(r.Cpu?.ServerUsPerOp), Cpu(r.Cpu?.BenchUsPerOp),
            r.Cpu?.CoresBusy(r.OpsPerSecond) is { } cores ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "–",
            r.Gc?.ToString() ?? "",
        }).ToList();
        return Table(FigureColumns, rows, markdown);
    }

    public static string Targets(IReadOnlyList<WorkloadResult> results, string paxubyName, bool markdown)
    {
        var rows = new List<string[]>();
        foreach (WorkloadResult result in results.Where(r => r.Server == paxubyName))
        {
            foreach (Target target in Target.ForWorkload(result.Workload))
            {
                if (target.Name == "seed" && target.Met(result)) continue;
                rows.Add([target.Name, result.Workload, target.Condition, $"{target.MeasuredMs(result):0.000} ms", target.Met(result) ? "✓" : "✗"]);
            }
        }
        int seedHeld = results.Count(r => r.Server == paxubyName && Target.Mark(r, "seed") == "✓");
        int paxubyRuns = results.Count(r => r.Server == paxubyName);
        string summary = $"seed promise (median < 10 ms, p90 < 15 ms, p99 < 20 ms) holds in {seedHeld} of {paxubyRuns} workloads; "
            + "listed below: the stricter targets, and every seed target missed.";
        return summary + (markdown ? "\n\n" : "\n") + Table(["target", "workload", "condition", "measured", "met"], rows, markdown, textColumns: 3);
    }

    /// <summary>Paxuby divided by the other server, per workload: above 1 is better for throughput, worse for latency and CPU.</summary>
    public static string Ratios(IReadOnlyList<WorkloadResult> results, string paxubyName, string otherName, bool markdown)
    {
        var rows = new List<string[]>();
        foreach (IGrouping<string, WorkloadResult> workload in results.GroupBy(r => r.Workload))
        {
            WorkloadResult? paxuby = workload.FirstOrDefault(r => r.Server == paxubyName);
            WorkloadResult? other = workload.FirstOrDefault(r => r.Server == otherName);
            if (paxuby is null || other is null) continue;
            rows.Add([
                workload.Key, Number(paxuby.OpsPerSecond), Number(other.OpsPerSecond), Ratio(paxuby.OpsPerSecond, other.OpsPerSecond),
                Ratio(paxuby.P50Us, other.P50Us), Ratio(paxuby.P99Us, other.P99Us),
                paxuby.Cpu?.ServerUsPerOp is { } mine && other.Cpu?.ServerUsPerOp is { } theirs ? Ratio(mine, theirs) : "–",
            ]);
        }
        return Table(
            ["workload", $"{paxubyName} ops/s", $"{otherName} ops/s", "throughput ratio", "p50 ratio", "p99 ratio", "server CPU/op ratio"],
            rows, markdown, textColumns: 1);
    }

    /// <summary>Microseconds of CPU per operation, or a dash when the server does not report its CPU.</summary>
    public static string Cpu(double? microseconds) =>
        microseconds is { } us ? us.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string Table(string[] header, List<string[]> rows, bool markdown, int textColumns = 2)
    {
        var text = new StringBuilder();
        if (markdown)
        {
            text.Append("| ").AppendJoin(" | ", header).Append(" |\n");
            text.Append('|').AppendJoin('|', header.Select((_, i) => i < textColumns ? "---" : "---:")).Append("|\n");
            foreach (string[] row in rows) text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
            return text.ToString();
        }
        int[] widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        void Line(string[] cells)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                // Names align left, figures right.
                string cell = i < textColumns ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]);
                text.Append("  ").Append(cell);
            }
            text.Append('\n');
        }
        Line(header);
        foreach (string[] row in rows) Line(row);
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ratio(double paxuby, double other) =>
        other > 0 ? (paxuby / other).ToString("0.00", CultureInfo.InvariantCulture) : "–";
}
