using Paxuby.Bench.Load;

namespace Paxuby.Bench.Tests;

public class ResultTablesTests
{
    private static WorkloadResult Result(string server, double opsPerSecond, CpuCost? cpu) =>
        new WorkloadResult("SET 50 clients", server, "127.0.0.1:1", 1000, 0, 0, 1, opsPerSecond, 1000, 2000, 3000, 4000, 5000, null) { Cpu = cpu };

    [Fact]
    public void The_figures_show_each_servers_cpu_per_operation_and_the_cores_busy()
    {
        string table = ResultTables.Figures(
            [Result("paxuby", 20_000, new CpuCost(44.04, 32.96)), Result("other", 30_000, new CpuCost(null, 27.0))], "paxuby", markdown: true);

        string[] paxuby = Row(table, "paxuby");
        string[] other = Row(table, "other");
        Assert.Equal(["44.0", "33.0", "1.54"], paxuby[^4..^1]);
        // No server figure: no cores either, but the bench's own cost still shows.
        Assert.Equal(["–", "27.0", "–"], other[^4..^1]);
    }

    [Fact]
    public void The_ratios_divide_paxubys_server_cpu_per_operation_by_the_others()
    {
        string table = ResultTables.Ratios(
            [Result("paxuby", 20_000, new CpuCost(45, 30)), Result("other", 30_000, new CpuCost(18, 27))], "paxuby", "other", markdown: true);

        Assert.Equal("2.50", Row(table, "SET 50 clients")[^1]);
    }

    private static string[] Row(string markdownTable, string firstCell) => markdownTable.Split('\n')
        .Select(line => line.Split('|', StringSplitOptions.TrimEntries)[1..^1])
        .First(cells => cells.Length > 1 && (cells[0] == firstCell || cells[1] == firstCell));
}
