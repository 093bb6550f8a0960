using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Paxuby.Bench.Load;

/// <summary>
/// CPU time per operation over a workload's measured window: the server process's, and this
/// bench's, whose clients share the same cores. For the cluster the bench starts, the server
/// process holds all three replicas. A server's idle work (timers, heartbeats) counts too, so at
/// one client the figure says more about that than about a command. When the cores are all busy,
/// neither the disk nor batching makes a workload faster: see <see cref="CoresBusy"/>.
/// </summary>
internal sealed record CpuCost(double? ServerUsPerOp, double BenchUsPerOp)
{
    /// <summary>Cores that the server and the bench kept busy at <paramref name="opsPerSecond"/>, their measured rate.</summary>
    public double? CoresBusy(double opsPerSecond) => ServerUsPerOp is { } server ? (server + BenchUsPerOp) * opsPerSecond / 1e6 : null;
}

/// <summary>
/// CPU seconds used so far by the server process (the <c>used_cpu_sys</c> and <c>used_cpu_user</c>
/// fields of <c>INFO cpu</c>, which Redis and Paxuby both report; null for a server without them)
/// and by this process.
/// </summary>
internal readonly record struct CpuSample(double? ServerSeconds, double BenchSeconds)
{
    private static readonly TimeSpan ServerLimit = TimeSpan.FromSeconds(5);

    /// <summary>Samples now; a server that does not answer INFO within a few seconds gives no server figure.</summary>
    public static async Task<CpuSample> TakeAsync(IPEndPoint server, CancellationToken cancel)
    {
        double? serverSeconds;
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeUp.CancelAfter(ServerLimit);
        try
        {
            using RespConnection connection = await RespConnection.ConnectAsync(server, timeUp.Token);
            serverSeconds = ParseServerSeconds(await connection.CallAsync(["INFO", "cpu"], timeUp.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException
            || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            serverSeconds = null;
        }
        using Process bench = Process.GetCurrentProcess();
        return new CpuSample(serverSeconds, bench.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>Kernel plus user time of the server's own process; its children (a Redis fork saving) do not serve commands.</summary>
    public static double? ParseServerSeconds(string info)
    {
        Dictionary<string, double> fields = InfoFields.Numbers(info, "used_cpu_");
        return fields.TryGetValue("used_cpu_sys", out double sys) && fields.TryGetValue("used_cpu_user", out double user)
            ? sys + user
            : null;
    }

    /// <summary>The cost per operation of <paramref name="operations"/> done between two samples; null without operations.</summary>
    public static CpuCost? Between(CpuSample? start, CpuSample end, long operations)
    {
        if (start is not { } from || operations <= 0) return null;
        double? server = from.ServerSeconds is { } serverFrom && end.ServerSeconds is { } serverTo ? (serverTo - serverFrom) * 1e6 / operations : null;
        return new CpuCost(server, (end.BenchSeconds - from.BenchSeconds) * 1e6 / operations);
    }
}
