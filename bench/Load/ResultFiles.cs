using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Paxuby.Bench.Load;

/// <summary>Writes one run as <c>load-{UTC}.md</c> and <c>load-{UTC}.json</c>.</summary>
internal static class ResultFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static (string Markdown, string Json) Write(
        string directory, DateTime startedUtc, string commandLine, LoadOptions options, string paxubyName, string paxubyEndpoint,
        IReadOnlyList<(string Name, string Description)> others, IReadOnlyList<WorkloadResult> results)
    {
        Directory.CreateDirectory(directory);
        string stem = Path.Combine(directory, $"load-{startedUtc:yyyyMMdd'T'HHmmss'Z'}");
        string machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";

        var markdown = new StringBuilder()
            .Append($"# Paxuby load run, {startedUtc:yyyy-MM-dd HH:mm:ss} UTC\n\n")
            .Append($"- command: `{commandLine}`\n")
            .Append($"- machine: {machine}\n")
            .Append($"- {paxubyName}: {paxubyEndpoint}\n")
            .Append(others.Count == 0 ? "" : $"- compared with: {string.Join(", ", others.Select(o => o.Description))}, each workload run against every server in turn\n")
            .Append($"- per workload: {options.WarmupSeconds:0.#} s warm-up, {options.DurationSeconds:0.#} s measured; "
                + $"{options.KeyCount:N0} keys, 100-byte values; latency from send to reply (pipelines: batch send to each reply); "
                + "CPU µs/op: CPU time in the measured window over the operations measured, of the server process (INFO cpu; "
                + "idle work included, which dominates at one client) and of this bench's clients, which share the cores; "
                + "cores busy: both together, per second; "
                + "server GC pauses: collections (full ones) and their total pause in the server process, warm-up included\n\n")
            .Append("## Figures\n\n").Append(ResultTables.Figures(results, paxubyName, markdown: true))
            .Append("\n## Targets\n\n").Append(ResultTables.Targets(results, paxubyName, markdown: true));
        foreach ((string otherName, string description) in others)
        {
            markdown.Append($"\n## {paxubyName} / {description}\n\n").Append(ResultTables.Ratios(results, paxubyName, otherName, markdown: true));
        }
        File.WriteAllText(stem + ".md", markdown.ToString());

        var document = new
        {
            StartedUtc = startedUtc,
            CommandLine = commandLine,
            Machine = machine,
            Paxuby = paxubyEndpoint,
            Compare = others.Select(o => o.Description).ToList(),
            options.WarmupSeconds,
            options.DurationSeconds,
            options.KeyCount,
            ValueBytes = 100,
            Results = results,
            Targets = results.Where(r => r.Server == paxubyName)
                .SelectMany(r => Target.ForWorkload(r.Workload).Select(t => new
                {
                    t.Name, t.Workload, t.Condition, MeasuredMs = t.MeasuredMs(r), Met = t.Met(r),
                })),
        };
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(document, Json));
        return (stem + ".md", stem + ".json");
    }

    /// <summary>bench/results of the source tree when the bench runs from its build folder, else ./results.</summary>
    public static string DefaultDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Paxuby.Bench.csproj"))) return Path.Combine(dir.FullName, "results");
        }
        return Path.GetFullPath("results");
    }
}
