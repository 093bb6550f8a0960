using System.Diagnostics;
using System.Net;

namespace Paxuby.Bench.Load;

/// <summary>
/// The timeline of one workload: a warm-up (not recorded), then the measured window. Clients
/// stop starting requests at the deadline; a client that gets no reply within a grace period
/// after it is cut off, so a stalled server cannot hang the run.
/// </summary>
internal sealed class MeasureWindow : IDisposable
{
    private static readonly TimeSpan StallGrace = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stall;
    private long _completed;

    public MeasureWindow(RunSettings settings, CancellationToken cancel)
    {
        long now = Stopwatch.GetTimestamp();
        MeasureStart = now + (long)(settings.WarmupSeconds * Stopwatch.Frequency);
        Deadline = MeasureStart + (long)(settings.DurationSeconds * Stopwatch.Frequency);
        TotalSeconds = settings.WarmupSeconds + settings.DurationSeconds;
        _stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _stall.CancelAfter(TimeSpan.FromSeconds(TotalSeconds) + StallGrace);
    }

    public long MeasureStart { get; }
    public long Deadline { get; }
    public double TotalSeconds { get; }

    /// <summary>Cancelled on Ctrl+C or when the run overstays its grace period.</summary>
    public CancellationToken Token => _stall.Token;

    public bool Open => Stopwatch.GetTimestamp() < Deadline;

    public bool Measures(long sentTimestamp) => sentTimestamp >= MeasureStart;

    public static long Microseconds(long fromTimestamp, long toTimestamp) =>
        Math.Min((toTimestamp - fromTimestamp) * 1_000_000 / Stopwatch.Frequency, WorkloadResult.HighestTrackableUs);

    /// <summary>The CPU used so far, sampled when the warm-up ends; null when the run stops first.</summary>
    public async Task<CpuSample?> SampleCpuAtMeasureStartAsync(IPEndPoint server)
    {
        try
        {
            long wait = MeasureStart - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), Token);
            return await CpuSample.TakeAsync(server, Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void AddCompleted(int operations) => Interlocked.Add(ref _completed, operations);

    /// <summary>Seconds of measurement so far (zero during warm-up).</summary>
    public double MeasuredSeconds(long now) => Math.Max(0, (double)(now - MeasureStart) / Stopwatch.Frequency);

    /// <summary>Rewrites the progress line until <paramref name="clients"/> finish.</summary>
    public async Task ShowProgressUntil(Task clients, string label)
    {
        long started = Stopwatch.GetTimestamp();
        while (!clients.IsCompleted)
        {
            await Task.WhenAny(clients, Task.Delay(250));
            long now = Stopwatch.GetTimestamp();
            double elapsed = (double)(now - started) / Stopwatch.Frequency;
            double measured = MeasuredSeconds(now);
            string rate = measured > 0 ? $"{Interlocked.Read(ref _completed) / measured,10:N0} ops/s" : "  warming up";
            ProgressLine.Show($"  {label}  {Math.Min(elapsed, TotalSeconds),4:0.0}/{TotalSeconds:0.0} s {rate}");
        }
        ProgressLine.Clear();
    }

    public void Dispose() => _stall.Dispose();
}
