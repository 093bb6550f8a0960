using HdrHistogram;

namespace Paxuby.Bench.Load;

/// <summary>What one workload measured against one server. Latencies in microseconds.</summary>
internal sealed record WorkloadResult(
    string Workload,
    string Server,
    string Endpoint,
    long Operations,
    long Errors,
    int FailedClients,
    double Seconds,
    double OpsPerSecond,
    long P50Us,
    long P90Us,
    long P99Us,
    long P999Us,
    long MaxUs,
    string? FirstError)
{
    /// <summary>The server's garbage collections during the workload, when it reports them.</summary>
    public ServerGc? Gc { get; init; }

    /// <summary>CPU per operation in the measured window, the server's when it reports it and the bench's own.</summary>
    public CpuCost? Cpu { get; init; }

    /// <summary>Largest latency a histogram keeps (60 s); anything slower is recorded as 60 s.</summary>
    public const long HighestTrackableUs = 60_000_000;

    public static LongHistogram NewHistogram() => new(HighestTrackableUs, 3);

    public static WorkloadResult From(
        Workload workload, string server, string endpoint, LongHistogram latencies, double seconds,
        long errors, int failedClients, string? firstError)
    {
        bool empty = latencies.TotalCount == 0;
        long At(double percentile) => empty ? 0 : latencies.GetValueAtPercentile(percentile);
        return new WorkloadResult(
            workload.Name, server, endpoint, latencies.TotalCount, errors, failedClients, seconds,
            seconds > 0 ? latencies.TotalCount / seconds : 0,
            At(50), At(90), At(99), At(99.9), empty ? 0 : latencies.GetMaxValue(), firstError);
    }
}

/// <summary>How long each workload runs and over which keys.</summary>
internal sealed record RunSettings(double DurationSeconds, double WarmupSeconds, int KeyCount, int ValueBytes);
