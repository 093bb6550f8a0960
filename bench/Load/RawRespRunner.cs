using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace Paxuby.Bench.Load;

/// <summary>
/// Closed-loop load over raw sockets: each client sends its batch of commands, reads that many
/// replies, and sends the next. A command's latency runs from its batch's send to its own reply.
/// </summary>
internal static class RawRespRunner
{
    public static async Task<WorkloadResult> RunAsync(
        Workload workload, string server, IPEndPoint endpoint, RunSettings settings, CancellationToken cancel)
    {
        var connections = new RespConnection[workload.Clients];
        try
        {
            for (int i = 0; i < connections.Length; i++) connections[i] = await RespConnection.ConnectAsync(endpoint, cancel);

            using var window = new MeasureWindow(settings, cancel);
            var histograms = new LongHistogram[workload.Clients];
            var failures = new string?[workload.Clients];
            Task<CpuSample?> cpuAtStart = window.SampleCpuAtMeasureStartAsync(endpoint);
            var clients = new Task[workload.Clients];
            for (int i = 0; i < clients.Length; i++)
            {
                int client = i;
                histograms[client] = WorkloadResult.NewHistogram();
                var batch = new CommandBatch(workload.Operation, workload.PipelineDepth, settings.ValueBytes);
                var random = new Random(1_000 + client);
                clients[client] = Task.Run(async () =>
                    failures[client] = await ClientLoopAsync(connections[client], batch, random, settings.KeyCount, histograms[client], window));
            }
            Task all = Task.WhenAll(clients);
            await window.ShowProgressUntil(all, $"{server,-8} {workload.Name,-26}");
            await all;
            double seconds = window.MeasuredSeconds(Stopwatch.GetTimestamp());
            CpuSample cpuAtEnd = await CpuSample.TakeAsync(endpoint, cancel);

            LongHistogram merged = WorkloadResult.NewHistogram();
            foreach (LongHistogram histogram in histograms) merged.Add(histogram);
            long errors = connections.Sum(c => c.ErrorReplies);
            string? firstError = connections.Select(c => c.FirstError).FirstOrDefault(e => e is not null)
                ?? failures.FirstOrDefault(f => f is not null);
            cancel.ThrowIfCancellationRequested();
            return WorkloadResult.From(workload, server, endpoint.ToString(), merged, seconds, errors, failures.Count(f => f is not null), firstError)
                with { Cpu = CpuSample.Between(await cpuAtStart, cpuAtEnd, merged.TotalCount) };
        }
        finally
        {
            foreach (RespConnection? connection in connections) connection?.Dispose();
        }
    }

    /// <summary>Runs one client until the deadline; returns why it stopped early, or null.</summary>
    private static async Task<string?> ClientLoopAsync(
        RespConnection connection, CommandBatch batch, Random random, int keyCount, LongHistogram latencies, MeasureWindow window)
    {
        CancellationToken token = window.Token;
        try
        {
            while (window.Open)
            {
                batch.FillRandom(random, keyCount);
                long sent = Stopwatch.GetTimestamp();
                await connection.SendAsync(batch.Bytes(batch.Count), token);
                bool measured = window.Measures(sent);
                for (int i = 0; i < batch.Count; i++)
                {
                    await connection.ReadReplyAsync(token);
                    if (measured) latencies.RecordValue(MeasureWindow.Microseconds(sent, Stopwatch.GetTimestamp()));
                }
                if (measured) window.AddCompleted(batch.Count);
            }
            return null;
        }
        catch (OperationCanceledException)
        {
            return "no reply within the grace period (stalled) or interrupted";
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            return e.Message;
        }
    }
}
